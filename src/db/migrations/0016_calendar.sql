-- 0016_calendar: the compliance calendar (plan 肆, 玖.五–八, 壹拾伍; the
-- 應辦事項 of 資通安全責任等級分級辦法): the dates a level's duties count
-- from, the agency's own duties beside the shipped catalog
-- (data/rules/obligations.json), and the occurrences of every duty with
-- their owner, due date, status and the evidence that closed them.

-- The dates of the agency's responsibility level (分級辦法 §11: duties
-- count from the first approval or from a change of level).  The table
-- is rebuilt so the new fields come before the engine's columns, in the
-- register's order.
CREATE TABLE agency_new(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 機關名稱
  level TEXT NOT NULL CHECK(level IN ('A', 'B', 'C', 'D', 'E')),
                                -- 資通安全責任等級
  level_basis TEXT,             -- 等級說明 (plan 柒.二)
  legal_basis TEXT,             -- 訂定依據 (plan 壹)
  scope TEXT,                   -- 適用範圍 (plan 貳)
  superior TEXT,                -- 上級機關
  level_approved TEXT,          -- 責任等級初次核定日期 YYYY-MM-DD
  level_changed TEXT,           -- 責任等級最近變更日期 YYYY-MM-DD
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it (as reg_history.actor)
  updated_at TEXT NOT NULL      -- UTC
) STRICT;
INSERT INTO agency_new(id, name, level, level_basis, legal_basis, scope,
    superior, archived, version, created_at, created_by, updated_at)
  SELECT id, name, level, level_basis, legal_basis, scope, superior,
    archived, version, created_at, created_by, updated_at FROM agency;
DROP TABLE agency;
ALTER TABLE agency_new RENAME TO agency;

-- A duty the agency adds (its own plan's, or a stricter frequency).
CREATE TABLE duty(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 應辦事項名稱
  chapter TEXT NOT NULL CHECK(chapter IN ('4', '5', '6', '7', '8', '9',
    '10', '11', '12', '13', '14', '15', '16', '17')), -- 計畫章節
  owner TEXT NOT NULL,          -- 負責群組 (a role key of auth/roles.def)
  frequency TEXT NOT NULL CHECK(frequency IN ('once', 'monthly',
    'quarterly', 'half_yearly', 'yearly', 'years')), -- 頻率
  years INTEGER CHECK(years IS NULL OR years BETWEEN 2 AND 10),
                                -- 每幾年 (frequency years)
  first_due TEXT NOT NULL,      -- 首次期限 YYYY-MM-DD; later ones count
                                -- from it
  basis TEXT,                   -- 依據
  evidence_hint TEXT,           -- 佐證資料說明
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX duty_list ON duty(archived, name);
CREATE VIRTUAL TABLE duty_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- One occurrence of a duty: generated from the catalog and the duty
-- register, at most one per duty and due date, so the generator may run
-- any number of times.  It closes only with evidence (a file or a link
-- to a record) and a note; an occurrence that no longer applies (the
-- level changed, the duty was archived) is void, never deleted.
CREATE TABLE occurrence(
  id INTEGER PRIMARY KEY,
  duty TEXT NOT NULL,           -- catalog id ("internal_audit"), or
                                -- "agency:<duty.id>"
  rule_set TEXT,                -- "110" / "115" for a statutory duty
  due_on TEXT NOT NULL,         -- 期限 YYYY-MM-DD (Asia/Taipei)
  owner TEXT NOT NULL,          -- 負責群組 (role key)
  chapter INTEGER NOT NULL CHECK(chapter BETWEEN 4 AND 17),
  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open', 'done',
    'void')),
  created_at TEXT NOT NULL,     -- UTC
  closed_at TEXT,               -- UTC, when done
  closed_by TEXT,               -- login
  note TEXT,                    -- 辦理情形說明
  evidence INTEGER REFERENCES evidence_file(id), -- 佐證檔案
  link_reg TEXT,                -- 佐證紀錄: register name
  link_id INTEGER,              -- and record id
  void_reason TEXT,             -- why it no longer applies
  UNIQUE(duty, due_on),
  CHECK(status <> 'done' OR (closed_at IS NOT NULL AND closed_by IS NOT NULL
    AND note IS NOT NULL AND (evidence IS NOT NULL OR link_id IS NOT NULL))),
  CHECK((link_reg IS NULL) = (link_id IS NULL))
) STRICT;
CREATE INDEX occurrence_due ON occurrence(status, due_on);

-- What happened to an occurrence (closed with its evidence, reopened,
-- void, applying again): append-only.
CREATE TABLE occurrence_event(
  id INTEGER PRIMARY KEY,
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  kind TEXT NOT NULL CHECK(kind IN ('closed', 'reopened', 'void',
    'restored')),
  note TEXT,
  evidence INTEGER REFERENCES evidence_file(id),
  link_reg TEXT,
  link_id INTEGER,
  by TEXT NOT NULL,             -- login, or "scheduler"
  at TEXT NOT NULL              -- UTC
) STRICT;
CREATE INDEX occurrence_event_of ON occurrence_event(occurrence, id);
CREATE TRIGGER occurrence_event_fixed BEFORE UPDATE ON occurrence_event
BEGIN
  SELECT RAISE(ABORT, 'occurrence_event is append-only');
END;
CREATE TRIGGER occurrence_event_kept BEFORE DELETE ON occurrence_event
BEGIN
  SELECT RAISE(ABORT, 'occurrence_event is append-only');
END;
