-- 0018_kpi: the quantitative goals of plan 肆.二.(一) computed from
-- records (issue 6, item 5): the outage log that availability is
-- computed from, the results of social-engineering drills as the
-- provider reports them, and which computed value a goal metric is
-- measured by.

-- 肆.二.(一)1 and 玖: one interruption of a system's service, planned
-- (maintenance, excluded from the operating time) or not (downtime).
-- started and ended are UTC storage text, so text order is time order;
-- ended is empty while the interruption lasts.
CREATE TABLE outage(
  id INTEGER PRIMARY KEY,       -- record id
  system INTEGER NOT NULL REFERENCES system(id), -- 資通系統
  kind TEXT NOT NULL CHECK(kind IN ('unplanned', 'planned')),
                                -- 非預期中斷 / 計畫性維護
  started TEXT NOT NULL,        -- 中斷開始 (UTC "YYYY-MM-DDTHH:MM:SSZ")
  ended TEXT CHECK(ended IS NULL OR ended > started),
                                -- 恢復時間 (UTC), NULL while it lasts
  cause TEXT NOT NULL,          -- 原因
  incident INTEGER REFERENCES incident(id), -- 相關資安事件
  note TEXT,                    -- 備註
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;
CREATE INDEX outage_list ON outage(archived, started);
CREATE INDEX outage_system ON outage(system, started);
CREATE VIRTUAL TABLE outage_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 肆.二.(一)3: the results of a social-engineering drill as imported
-- from the provider's file, one row per event line of the file (the
-- same recipient may have several).  A new import replaces a drill's
-- rows in one transaction.
CREATE TABLE drill_result(
  drill INTEGER NOT NULL REFERENCES drill(id), -- the drill (kind social)
  line INTEGER NOT NULL CHECK(line > 0), -- the line of the file
  recipient TEXT NOT NULL CHECK(length(recipient) > 0),
                                -- 收件人: e-mail or employee id, trimmed
                                -- and in lower case
  opened INTEGER NOT NULL CHECK(opened IN (0, 1)), -- 開啟郵件
  clicked INTEGER NOT NULL CHECK(clicked IN (0, 1)), -- 點閱連結或附件
  PRIMARY KEY(drill, line)
) WITHOUT ROWID, STRICT;

-- The import a drill's results came from: one row per drill, replaced
-- with its rows.
CREATE TABLE drill_result_set(
  drill INTEGER PRIMARY KEY REFERENCES drill(id), -- the drill
  file TEXT NOT NULL,           -- the file name as uploaded (not trusted)
  sha256 TEXT NOT NULL CHECK(length(sha256) = 64), -- hex SHA-256 of it
  lines INTEGER NOT NULL CHECK(lines > 0), -- data lines read
  by TEXT NOT NULL,             -- who imported it
  at TEXT NOT NULL              -- when (UTC)
) STRICT;

-- 肆.二.(一): the value a goal metric is measured by, computed from the
-- records above and the incidents' clocks; NULL when it is measured by
-- hand.  The register engine expects its fields before archived, so the
-- table is rebuilt with the new column in place (ids kept, so its search
-- index and history still match; no table refers to it).
CREATE TABLE goal_metric_new(
  id INTEGER PRIMARY KEY,
  goal INTEGER NOT NULL REFERENCES policy(id), -- 所屬目標
  metric TEXT NOT NULL,         -- 衡量指標
  comparator TEXT NOT NULL CHECK(comparator IN ('>=', '>', '<=', '<', '=')),
  target REAL NOT NULL,         -- 目標值
  unit TEXT,                    -- 單位
  formula TEXT,                 -- 計算方式
  kpi TEXT CHECK(kpi IS NULL OR kpi IN ('availability',
    'incident_timeliness', 'phishing_open', 'phishing_click')),
                                -- 自動計算指標
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
INSERT INTO goal_metric_new(id, goal, metric, comparator, target, unit,
    formula, archived, version, created_at, created_by, updated_at)
  SELECT id, goal, metric, comparator, target, unit, formula, archived,
    version, created_at, created_by, updated_at FROM goal_metric;
DROP TABLE goal_metric;
ALTER TABLE goal_metric_new RENAME TO goal_metric;
CREATE INDEX goal_metric_goal ON goal_metric(goal);
