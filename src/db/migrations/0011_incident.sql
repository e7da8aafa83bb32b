-- 0011_incident: plan 壹拾 (通報應變): the incident record (a register),
-- the facts that decide its level, the CISO's decision on a different
-- level, the steps of the legal workflow and the timeline.  Assessments,
-- steps and timeline entries are append-only: a later entry supersedes an
-- earlier one, nothing is rewritten (evidence kept unaltered).

-- 壹拾: one incident.  The clocks start at aware_at (知悉時間).
CREATE TABLE incident(
  id INTEGER PRIMARY KEY,       -- record id
  title TEXT NOT NULL,          -- 事件名稱
  aware_at TEXT NOT NULL,       -- 知悉時間 (UTC "YYYY-MM-DDTHH:MM:SSZ")
  occurred_at TEXT,             -- 發生時間 (UTC)
  reporter TEXT,                -- 通報人（發現者）
  contact TEXT,                 -- 聯絡方式
  description TEXT NOT NULL,    -- 狀況之描述
  response_team TEXT,           -- 應變小組成員
  measures TEXT,                -- 因應事件所採取之措施
  support_needed TEXT,          -- 外部支援需求評估
  other TEXT,                   -- 其他相關事項
  impact_scope TEXT,            -- 事件影響之範圍及損害評估
  root_cause TEXT,              -- 事件根因分析
  prevention TEXT,              -- 防範類似事件再次發生之措施
  follow_up TEXT,               -- 預定完成時程及成效追蹤機制
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;
CREATE INDEX incident_list ON incident(archived, title);
CREATE INDEX incident_aware ON incident(archived, aware_at);
CREATE VIRTUAL TABLE incident_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- One assessment of the facts (the latest is in force).  facts lists
-- "kind:impact" pairs of data/rules/incident.json, comma-separated.
CREATE TABLE incident_assessment(
  id INTEGER PRIMARY KEY,       -- the latest wins
  incident INTEGER NOT NULL REFERENCES incident(id),
  rule_set TEXT NOT NULL,       -- "110" or "115": in force at aware_at
  facts TEXT NOT NULL,          -- "core:leak_minor,noncore:down_within_mtd"
  daily_work INTEGER NOT NULL CHECK(daily_work IN (0, 1)),
                                -- 影響機關日常作業
  level INTEGER NOT NULL CHECK(level BETWEEN 0 AND 4),
                                -- computed (0: no row matched)
  row_id TEXT,                  -- the matrix row that decided it
  proposed INTEGER CHECK(proposed IS NULL OR proposed BETWEEN 1 AND 4),
                                -- a different level the assessor proposes
  reason TEXT,                  -- why (required with proposed)
  by TEXT NOT NULL,             -- login
  at TEXT NOT NULL              -- UTC
) STRICT;
CREATE INDEX incident_assessment_of ON incident_assessment(incident, id);

-- The CISO's decision on a proposed level, for one assessment.
CREATE TABLE incident_decision(
  id INTEGER PRIMARY KEY,
  incident INTEGER NOT NULL REFERENCES incident(id),
  assessment INTEGER NOT NULL REFERENCES incident_assessment(id),
  level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 4), -- the level decided
  reason TEXT NOT NULL,         -- 理由
  by TEXT NOT NULL,             -- login of the CISO
  at TEXT NOT NULL              -- UTC
) STRICT;
CREATE INDEX incident_decision_of ON incident_decision(incident, id);

-- The steps of the workflow: notified (通報, again as 續行通報 when the
-- level changed), recovered (完成損害控制或復原), report (調查、處理及改善
-- 報告已提出), closed (結案), reopened (重新開啟).
CREATE TABLE incident_step(
  id INTEGER PRIMARY KEY,
  incident INTEGER NOT NULL REFERENCES incident(id),
  step TEXT NOT NULL CHECK(step IN ('notified', 'recovered', 'report',
    'closed', 'reopened')),
  at TEXT NOT NULL,             -- when it happened (UTC)
  level INTEGER CHECK(level IS NULL OR level BETWEEN 1 AND 4),
                                -- the level notified (notified only)
  channel TEXT,                 -- 通報管道 (e.g. 國家資通安全通報應變網站)
  reference TEXT,               -- 通報單編號 or document number
  note TEXT,                    -- 說明 (required to reopen)
  by TEXT NOT NULL,             -- login of who recorded it
  recorded_at TEXT NOT NULL     -- UTC
) STRICT;
CREATE INDEX incident_step_of ON incident_step(incident, id);

-- The timeline: what was done and found, with evidence hashes.
CREATE TABLE incident_event(
  id INTEGER PRIMARY KEY,
  incident INTEGER NOT NULL REFERENCES incident(id),
  kind TEXT NOT NULL CHECK(kind IN ('detection', 'notification',
    'containment', 'recovery', 'investigation', 'evidence',
    'communication', 'meeting', 'other_agency', 'note')),
  at TEXT NOT NULL,             -- when it happened (UTC)
  text TEXT NOT NULL,           -- what
  sha256 TEXT CHECK(sha256 IS NULL OR length(sha256) = 64),
                                -- evidence: hex SHA-256 of the file
  by TEXT NOT NULL,             -- login
  recorded_at TEXT NOT NULL     -- UTC
) STRICT;
CREATE INDEX incident_event_of ON incident_event(incident, at, id);

CREATE TRIGGER incident_assessment_fixed BEFORE UPDATE ON incident_assessment
BEGIN
  SELECT RAISE(ABORT, 'incident_assessment is append-only');
END;
CREATE TRIGGER incident_decision_fixed BEFORE UPDATE ON incident_decision
BEGIN
  SELECT RAISE(ABORT, 'incident_decision is append-only');
END;
CREATE TRIGGER incident_step_fixed BEFORE UPDATE ON incident_step
BEGIN
  SELECT RAISE(ABORT, 'incident_step is append-only');
END;
CREATE TRIGGER incident_step_kept BEFORE DELETE ON incident_step
BEGIN
  SELECT RAISE(ABORT, 'incident_step is append-only');
END;
CREATE TRIGGER incident_event_fixed BEFORE UPDATE ON incident_event
BEGIN
  SELECT RAISE(ABORT, 'incident_event is append-only');
END;
CREATE TRIGGER incident_event_kept BEFORE DELETE ON incident_event
BEGIN
  SELECT RAISE(ABORT, 'incident_event is append-only');
END;
