-- The schema after all migrations, compared by tests/unit/db/test_db.c.
-- Do not edit by hand; after a deliberate migration change run
--   ISMS_UPDATE_SNAPSHOT=1 build/dev/tests/unit_db_test_db
-- and review the diff.
PRAGMA user_version = 19;
PRAGMA application_id = 1769172339;

-- table account
CREATE TABLE account(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE, -- 使用者 ID
  name TEXT NOT NULL,           -- 姓名
  unit TEXT,                    -- 單位
  email TEXT,                   -- 電子郵件
  privileged INTEGER NOT NULL DEFAULT 0 CHECK(privileged IN (0, 1)),
                                -- 特權帳號
  owner INTEGER REFERENCES account(id), -- the daily account of a
                                -- privileged one
  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0, 1)), -- 停用
  disabled_reason TEXT,         -- why, e.g. 離職
  pw_hash TEXT,                 -- argon2id string with its parameters
  pw_set_at INTEGER,            -- when the password was set
  pw_preset INTEGER NOT NULL DEFAULT 1 CHECK(pw_preset IN (0, 1)),
                                -- set by an administrator or the CLI:
                                -- must be changed at the next login
  failed INTEGER NOT NULL DEFAULT 0, -- consecutive failed logins
  locked_until INTEGER NOT NULL DEFAULT 0, -- locked out until then
  last_login INTEGER,           -- last successful login
  totp_secret BLOB,             -- TOTP secret, NULL when not enrolled
  totp_step INTEGER NOT NULL DEFAULT 0, -- last accepted TOTP step (replay)
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
, totp_pending BLOB) STRICT;

-- table account_role
CREATE TABLE account_role(
  account INTEGER NOT NULL REFERENCES account(id),
  role TEXT NOT NULL,           -- a name from roles.def
  granted_at TEXT NOT NULL,     -- UTC
  granted_by TEXT NOT NULL,     -- who granted it
  PRIMARY KEY(account, role)
) STRICT, WITHOUT ROWID;

-- table agency
CREATE TABLE "agency"(
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

-- table agency_fts
CREATE VIRTUAL TABLE agency_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- table api_token
CREATE TABLE api_token(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  name TEXT NOT NULL,           -- what it is for
  hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the token
  scope TEXT NOT NULL,          -- 'read' or 'write'
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used INTEGER,            -- last request made with it
  revoked_at INTEGER            -- NULL while valid
) STRICT;

-- index api_token_account
CREATE INDEX api_token_account ON api_token(account);

-- table asset
CREATE TABLE asset(
  id INTEGER PRIMARY KEY,
  system INTEGER REFERENCES system(id), -- 資訊及資通系統名稱
  name TEXT NOT NULL,           -- 資產名稱
  class TEXT NOT NULL CHECK(class IN ('info', 'software', 'physical',
    'service')),                -- 資訊 / 軟體 / 實體 / 支援服務資產
  subtype TEXT,                 -- 子類別 (declared per class)
  owner TEXT,                   -- 擁有者
  custodian TEXT,               -- 管理者
  user TEXT,                    -- 使用者
  location TEXT,                -- 存放位置
  quantity INTEGER CHECK(quantity IS NULL OR quantity >= 0), -- 數量
  property_no TEXT,             -- 財產編號
  keeper TEXT,                  -- 保管人
  brand TEXT,                   -- 廠牌
  model TEXT,                   -- 型號
  is_core INTEGER CHECK(is_core IS NULL OR is_core IN (0, 1)), -- 核心資產
  third_party INTEGER CHECK(third_party IS NULL OR third_party IN (0, 1)),
                                -- 含第三方元件 (115 附表十 #64)
  ns_concern INTEGER CHECK(ns_concern IS NULL OR ns_concern IN (0, 1)),
                                -- 危害國家資通安全產品 (Act §11)
  note TEXT,                    -- 備註
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table asset_fts
CREATE VIRTUAL TABLE asset_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index asset_list
CREATE INDEX asset_list ON asset(archived, name);

-- index asset_property
CREATE INDEX asset_property ON asset(archived, property_no);

-- index asset_system
CREATE INDEX asset_system ON asset(system);

-- table audit_event
CREATE TABLE audit_event(
  id INTEGER PRIMARY KEY,       -- order of the events
  at TEXT NOT NULL,             -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
  actor TEXT NOT NULL,          -- who
  action TEXT NOT NULL,         -- e.g. 'init', 'import', 'archive'
  object TEXT,                  -- what, e.g. 'business/12'
  detail TEXT                   -- free text for a person
, source TEXT, prev_hash TEXT, hash TEXT) STRICT;

-- trigger audit_event_no_delete
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-183 days')
BEGIN
  SELECT RAISE(ABORT, 'audit_event rows younger than the retention stay');
END;

-- trigger audit_event_no_update
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN OLD.hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'audit_event is append-only');
END;

-- table business
CREATE TABLE business(
  id INTEGER PRIMARY KEY,
  seq INTEGER,                  -- 項次
  name TEXT NOT NULL,           -- 業務名稱
  is_core INTEGER NOT NULL CHECK(is_core IN (0, 1)), -- 核心業務
  description TEXT,             -- 業務內容
  core_system TEXT,             -- 核心資通系統 (無 when none)
  importance TEXT,              -- 重要性說明
  failure_impact TEXT,          -- 業務失效影響說明
  mtd_kind TEXT NOT NULL CHECK(mtd_kind IN ('hours', 'undefined', 'owner')),
                                -- 最大可容忍中斷時間: hours / 無須定義 /
                                -- 由系統權管單位訂之
  mtd_hours INTEGER CHECK(mtd_hours IS NULL OR mtd_hours > 0),
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table business_fts
CREATE VIRTUAL TABLE business_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index business_list
CREATE INDEX business_list ON business(archived, seq);

-- index business_name
CREATE INDEX business_name ON business(archived, name);

-- table control_history
CREATE TABLE control_history(
  id INTEGER PRIMARY KEY,
  system INTEGER NOT NULL REFERENCES system(id),
  control TEXT NOT NULL,
  status TEXT NOT NULL,         -- the new status
  evidence TEXT,
  owner TEXT,
  due TEXT,
  exemption TEXT,
  at TEXT NOT NULL,             -- UTC
  actor TEXT NOT NULL           -- who
) STRICT;

-- index control_history_system
CREATE INDEX control_history_system ON control_history(system, control, id);

-- table control_status
CREATE TABLE control_status(
  system INTEGER NOT NULL REFERENCES system(id),
  control TEXT NOT NULL,        -- control id of data/rules/baseline.json
  status TEXT NOT NULL CHECK(status IN ('implemented', 'partial', 'planned',
    'na')),                     -- 已實施 / 部分實施 / 規劃中 / 不適用
  exemption TEXT,               -- 不適用之核准依據 (§11 procedure)
  evidence TEXT,                -- 佐證（文件、連結）
  owner TEXT,                   -- 負責人
  due TEXT,                     -- 預定完成日 YYYY-MM-DD
  updated_at TEXT NOT NULL,     -- UTC
  updated_by TEXT NOT NULL,     -- who
  PRIMARY KEY(system, control)
) STRICT, WITHOUT ROWID;

-- table drill
CREATE TABLE drill(
  id INTEGER PRIMARY KEY,       -- record id
  kind TEXT NOT NULL CHECK(kind IN ('social', 'notify', 'bcp', 'attack',
    'scenario', 'other')),      -- 社交工程演練 / 通報及應變演練 /
                                -- 業務持續運作演練 / 網路攻防演練 /
                                -- 情境演練 / 其他
  title TEXT NOT NULL,          -- 演練名稱
  organiser TEXT,               -- 主辦機關, e.g. 高雄市政府
  held_on TEXT NOT NULL,        -- 辦理日期 YYYY-MM-DD (at most a year ahead)
  scope TEXT,                   -- 範圍及參與人員
  scenario TEXT,                -- 演練情境
  results TEXT,                 -- 演練結果
  findings TEXT,                -- 發現事項及改善措施
  evidence TEXT,                -- 佐證資料 (links or document references)
  report_due TEXT,              -- 結果報告期限 YYYY-MM-DD (computed)
  report_sent TEXT,             -- 結果報告提出日期 YYYY-MM-DD (not before
                                -- held_on)
  status TEXT NOT NULL CHECK(status IN ('planned', 'held', 'reported')),
                                -- 規劃中 / 已辦理 / 已提出結果報告
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- table drill_fts
CREATE VIRTUAL TABLE drill_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index drill_kind
CREATE INDEX drill_kind ON drill(kind, held_on);

-- index drill_list
CREATE INDEX drill_list ON drill(archived, held_on);

-- table drill_result
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

-- table drill_result_set
CREATE TABLE drill_result_set(
  drill INTEGER PRIMARY KEY REFERENCES drill(id), -- the drill
  file TEXT NOT NULL,           -- the file name as uploaded (not trusted)
  sha256 TEXT NOT NULL CHECK(length(sha256) = 64), -- hex SHA-256 of it
  lines INTEGER NOT NULL CHECK(lines > 0), -- data lines read
  by TEXT NOT NULL,             -- who imported it
  at TEXT NOT NULL              -- when (UTC)
) STRICT;

-- index drill_title
CREATE INDEX drill_title ON drill(archived, title);

-- table duty
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

-- table duty_fts
CREATE VIRTUAL TABLE duty_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index duty_list
CREATE INDEX duty_list ON duty(archived, name);

-- table evidence_file
CREATE TABLE evidence_file(
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL CHECK(length(sha256) = 64), -- hex SHA-256 of data
  name TEXT NOT NULL,           -- the file name as uploaded (not trusted)
  mime TEXT NOT NULL,           -- the type read from the content
  size INTEGER NOT NULL CHECK(size >= 0), -- bytes
  data BLOB NOT NULL,           -- the file
  by TEXT NOT NULL,             -- login
  at TEXT NOT NULL              -- UTC
) STRICT;

-- trigger evidence_file_fixed
CREATE TRIGGER evidence_file_fixed BEFORE UPDATE ON evidence_file
BEGIN
  SELECT RAISE(ABORT, 'evidence_file is append-only');
END;

-- trigger evidence_file_kept
CREATE TRIGGER evidence_file_kept BEFORE DELETE ON evidence_file
BEGIN
  SELECT RAISE(ABORT, 'evidence_file is append-only');
END;

-- index evidence_file_sha
CREATE INDEX evidence_file_sha ON evidence_file(sha256);

-- table feed_token
CREATE TABLE feed_token(
  account INTEGER PRIMARY KEY REFERENCES account(id),
  hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the token text
  created_at INTEGER NOT NULL   -- made or last renewed
) STRICT;

-- table goal_metric
CREATE TABLE "goal_metric"(
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

-- table goal_metric_fts
CREATE VIRTUAL TABLE goal_metric_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index goal_metric_goal
CREATE INDEX goal_metric_goal ON goal_metric(goal);

-- table grading
CREATE TABLE grading(
  id INTEGER PRIMARY KEY,
  system INTEGER NOT NULL REFERENCES system(id),
  c INTEGER NOT NULL CHECK(c BETWEEN 1 AND 3), -- 機密性
  i INTEGER NOT NULL CHECK(i BETWEEN 1 AND 3), -- 完整性
  a INTEGER NOT NULL CHECK(a BETWEEN 1 AND 3), -- 可用性
  l INTEGER NOT NULL CHECK(l BETWEEN 1 AND 3), -- 法律遵循性
  level INTEGER NOT NULL CHECK(level = max(c, i, a, l)), -- the highest
  justification TEXT NOT NULL,  -- 評定理由
  graded_by TEXT NOT NULL,      -- 評定人
  graded_at TEXT NOT NULL,      -- UTC
  status TEXT NOT NULL CHECK(status IN ('pending', 'approved', 'rejected')),
  approver TEXT,                -- 核定人
  decided_at TEXT,              -- UTC
  note TEXT                     -- 核定意見
) STRICT;

-- index grading_system
CREATE INDEX grading_system ON grading(system, id);

-- table import_upload
CREATE TABLE import_upload(
  id INTEGER PRIMARY KEY,
  register TEXT NOT NULL,   -- the register it is imported into
  data BLOB NOT NULL,       -- the file as uploaded (CSV or XLSX)
  filename TEXT NOT NULL,   -- the client's name, shown only
  created_by TEXT NOT NULL, -- only this account may use it
  created_at TEXT NOT NULL  -- UTC storage form, YYYY-MM-DDTHH:MM:SSZ
) STRICT;

-- index import_upload_created
CREATE INDEX import_upload_created ON import_upload(created_at);

-- table incident
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

-- table incident_assessment
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

-- trigger incident_assessment_fixed
CREATE TRIGGER incident_assessment_fixed BEFORE UPDATE ON incident_assessment
BEGIN
  SELECT RAISE(ABORT, 'incident_assessment is append-only');
END;

-- index incident_assessment_of
CREATE INDEX incident_assessment_of ON incident_assessment(incident, id);

-- index incident_aware
CREATE INDEX incident_aware ON incident(archived, aware_at);

-- table incident_businesses
CREATE TABLE incident_businesses(
  rec INTEGER NOT NULL REFERENCES incident(id), -- the incident
  ref INTEGER NOT NULL REFERENCES business(id), -- a business it affects
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;

-- index incident_businesses_ref
CREATE INDEX incident_businesses_ref ON incident_businesses(ref);

-- table incident_decision
CREATE TABLE incident_decision(
  id INTEGER PRIMARY KEY,
  incident INTEGER NOT NULL REFERENCES incident(id),
  assessment INTEGER NOT NULL REFERENCES incident_assessment(id),
  level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 4), -- the level decided
  reason TEXT NOT NULL,         -- 理由
  by TEXT NOT NULL,             -- login of the CISO
  at TEXT NOT NULL              -- UTC
) STRICT;

-- trigger incident_decision_fixed
CREATE TRIGGER incident_decision_fixed BEFORE UPDATE ON incident_decision
BEGIN
  SELECT RAISE(ABORT, 'incident_decision is append-only');
END;

-- index incident_decision_of
CREATE INDEX incident_decision_of ON incident_decision(incident, id);

-- table incident_event
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
, file INTEGER
  REFERENCES evidence_file(id)) STRICT;

-- trigger incident_event_fixed
CREATE TRIGGER incident_event_fixed BEFORE UPDATE ON incident_event
BEGIN
  SELECT RAISE(ABORT, 'incident_event is append-only');
END;

-- trigger incident_event_kept
CREATE TRIGGER incident_event_kept BEFORE DELETE ON incident_event
BEGIN
  SELECT RAISE(ABORT, 'incident_event is append-only');
END;

-- index incident_event_of
CREATE INDEX incident_event_of ON incident_event(incident, at, id);

-- table incident_fts
CREATE VIRTUAL TABLE incident_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index incident_list
CREATE INDEX incident_list ON incident(archived, title);

-- table incident_step
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

-- trigger incident_step_fixed
CREATE TRIGGER incident_step_fixed BEFORE UPDATE ON incident_step
BEGIN
  SELECT RAISE(ABORT, 'incident_step is append-only');
END;

-- trigger incident_step_kept
CREATE TRIGGER incident_step_kept BEFORE DELETE ON incident_step
BEGIN
  SELECT RAISE(ABORT, 'incident_step is append-only');
END;

-- index incident_step_of
CREATE INDEX incident_step_of ON incident_step(incident, id);

-- table incident_systems
CREATE TABLE incident_systems(
  rec INTEGER NOT NULL REFERENCES incident(id), -- the incident
  ref INTEGER NOT NULL REFERENCES system(id),   -- a system it affects
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;

-- index incident_systems_ref
CREATE INDEX incident_systems_ref ON incident_systems(ref);

-- table intel
CREATE TABLE intel(
  id INTEGER PRIMARY KEY,       -- record id
  title TEXT NOT NULL,          -- 情資標題
  source TEXT,                  -- 情資來源, e.g. N-ISAC, 上級機關
  received TEXT NOT NULL,       -- 接獲日期 YYYY-MM-DD
  valid_until TEXT,             -- 有效期限 YYYY-MM-DD (not before received)
  category TEXT NOT NULL CHECK(category IN ('info', 'intrusion',
    'sensitive', 'core')),      -- 資通安全相關之訊息情資 / 入侵攻擊情資 /
                                -- 機敏性之情資 / 涉及核心業務、核心資通
                                -- 系統之情資 (壹拾壹.一.(一)-(四))
  kind TEXT CHECK(kind IS NULL OR kind IN ('recon', 'vuln', 'exploit',
    'malware', 'damage', 'measure', 'other')),
                                -- 情資分享辦法 §2 items 1-7
  content TEXT,                 -- 情資內容 (personal data masked)
  indicators TEXT,              -- 威脅指標, one per line
  impact TEXT CHECK(impact IS NULL OR impact IN ('high', 'medium', 'low',
    'none')),                   -- 影響評估: 高 / 中 / 低 / 無影響
  impact_note TEXT,             -- 評估說明 (personal data masked)
  within_risk INTEGER CHECK(within_risk IS NULL OR within_risk IN (0, 1)),
                                -- 是否在本機關可接受風險內
  response TEXT,                -- 因應措施 (personal data masked)
  plan_adjusted INTEGER CHECK(plan_adjusted IS NULL OR
    plan_adjusted IN (0, 1)),   -- 是否調整資通安全維護計畫控制措施
  analyst TEXT,                 -- 分析人員 (資通安全專職人員, 壹拾壹.一)
  status TEXT NOT NULL CHECK(status IN ('new', 'assessed', 'done')),
                                -- 新接獲 / 已評估 / 已完成因應
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- index intel_category
CREATE INDEX intel_category ON intel(category, received);

-- table intel_fts
CREATE VIRTUAL TABLE intel_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- table intel_incidents
CREATE TABLE intel_incidents(
  rec INTEGER NOT NULL REFERENCES intel(id),    -- the intelligence
  ref INTEGER NOT NULL REFERENCES incident(id), -- an incident it concerns
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;

-- index intel_incidents_ref
CREATE INDEX intel_incidents_ref ON intel_incidents(ref);

-- index intel_list
CREATE INDEX intel_list ON intel(archived, received);

-- table intel_risks
CREATE TABLE intel_risks(
  rec INTEGER NOT NULL REFERENCES intel(id), -- the intelligence
  ref INTEGER NOT NULL REFERENCES risk(id),  -- a risk it concerns
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;

-- index intel_risks_ref
CREATE INDEX intel_risks_ref ON intel_risks(ref);

-- table intel_share
CREATE TABLE intel_share(
  id INTEGER PRIMARY KEY,       -- record id
  intel INTEGER NOT NULL REFERENCES intel(id), -- 情資
  shared_on TEXT NOT NULL,      -- 分享日期 YYYY-MM-DD
  recipient TEXT NOT NULL,      -- 分享對象
  channel TEXT NOT NULL CHECK(channel IN ('platform', 'paper', 'fax',
    'email', 'system', 'other')),
                                -- 國家資通安全通報應變網站情資分享功能 /
                                -- 書面 / 傳真 / 電子郵件 / 資通系統 / 其他
  approved_by TEXT,             -- 核准人 (required unless platform)
  content TEXT,                 -- 分享內容 (personal data masked)
  cleared INTEGER NOT NULL CHECK(cleared = 1),
                                -- 已確認不含不得分享之內容 (§4)
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- table intel_share_fts
CREATE VIRTUAL TABLE intel_share_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index intel_share_intel
CREATE INDEX intel_share_intel ON intel_share(intel, shared_on);

-- index intel_share_list
CREATE INDEX intel_share_list ON intel_share(archived, shared_on);

-- index intel_title
CREATE INDEX intel_title ON intel(archived, title);

-- table inventory
CREATE TABLE inventory(
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL UNIQUE CHECK(year BETWEEN 1900 AND 9999), -- 年度
  title TEXT NOT NULL,          -- 名稱
  opened_at TEXT NOT NULL,      -- UTC
  opened_by TEXT NOT NULL,      -- who opened it
  closed_at TEXT,               -- UTC, NULL while it is in progress
  closed_by TEXT,
  CHECK((closed_at IS NULL) = (closed_by IS NULL))
) STRICT;

-- table inventory_item
CREATE TABLE inventory_item(
  inventory INTEGER NOT NULL REFERENCES inventory(id),
  asset INTEGER NOT NULL REFERENCES asset(id),
  owner TEXT,                   -- the asset's owner when it opened
  unit TEXT,                    -- the owner's unit (member register), if known
  result TEXT CHECK(result IS NULL OR
    result IN ('confirmed', 'changed', 'missing')), -- NULL: not yet
  note TEXT,                    -- what changed, where it went
  decided_by TEXT,
  decided_at TEXT,              -- UTC
  PRIMARY KEY(inventory, asset),
  CHECK((result IS NULL) = (decided_at IS NULL))
) STRICT, WITHOUT ROWID;

-- index inventory_item_owner
CREATE INDEX inventory_item_owner ON inventory_item(inventory, owner);

-- table ir_procedure
CREATE TABLE ir_procedure(
  id INTEGER PRIMARY KEY,       -- record id
  kind TEXT NOT NULL CHECK(kind IN ('notify', 'response', 'other')),
                                -- 通報作業規範 / 應變作業規範 / 其他
  title TEXT NOT NULL,          -- 名稱
  doc_version TEXT NOT NULL,    -- 版次, e.g. v1.2 (the column "version"
                                -- is the record's own)
  effective TEXT,               -- 生效日期 YYYY-MM-DD
  approver TEXT,                -- 核定人 (required when approved)
  approved_on TEXT,             -- 核定日期 YYYY-MM-DD (required when
                                -- approved)
  doc_ref TEXT,                 -- 文件連結或文號
  summary TEXT,                 -- 摘要
  n_level INTEGER CHECK(n_level IS NULL OR n_level IN (0, 1)),
                                -- 通報 (1) 判定事件等級之流程及權責
  n_impact INTEGER CHECK(n_impact IS NULL OR n_impact IN (0, 1)),
                                -- 通報 (2) 影響範圍、損害程度及因應能力之評估
  n_internal INTEGER CHECK(n_internal IS NULL OR n_internal IN (0, 1)),
                                -- 通報 (3) 內部通報流程
  n_others INTEGER CHECK(n_others IS NULL OR n_others IN (0, 1)),
                                -- 通報 (4) 通知受影響之其他機關之時機及方式
  n_drill INTEGER CHECK(n_drill IS NULL OR n_drill IN (0, 1)),
                                -- 通報 (5) 前四款事項之演練
  n_contact INTEGER CHECK(n_contact IS NULL OR n_contact IN (0, 1)),
                                -- 通報 (6) 通報窗口及聯繫方式
  n_other INTEGER CHECK(n_other IS NULL OR n_other IN (0, 1)),
                                -- 通報 (7) 其他通報相關事項
  r_team INTEGER CHECK(r_team IS NULL OR r_team IN (0, 1)),
                                -- 應變 (1) 應變小組之組織
  r_drill INTEGER CHECK(r_drill IS NULL OR r_drill IN (0, 1)),
                                -- 應變 (2) 事件發生前之演練作業
  r_control INTEGER CHECK(r_control IS NULL OR r_control IN (0, 1)),
                                -- 應變 (3) 事件發生時之損害控制及請求支援
  r_recovery INTEGER CHECK(r_recovery IS NULL OR r_recovery IN (0, 1)),
                                -- 應變 (4) 事件發生後之復原、鑑識、調查及改善
  r_records INTEGER CHECK(r_records IS NULL OR r_records IN (0, 1)),
                                -- 應變 (5) 事件相關紀錄之保全
  r_other INTEGER CHECK(r_other IS NULL OR r_other IN (0, 1)),
                                -- 應變 (6) 其他應變相關事項
  status TEXT NOT NULL CHECK(status IN ('draft', 'approved', 'withdrawn')),
                                -- 草案 / 已核定 / 已廢止
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- index ir_procedure_approved
CREATE UNIQUE INDEX ir_procedure_approved ON ir_procedure(kind)
  WHERE status = 'approved' AND archived = 0
    AND kind IN ('notify', 'response');

-- index ir_procedure_effective
CREATE INDEX ir_procedure_effective ON ir_procedure(archived, effective);

-- table ir_procedure_fts
CREATE VIRTUAL TABLE ir_procedure_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index ir_procedure_list
CREATE INDEX ir_procedure_list ON ir_procedure(archived, title);

-- table mail_outbox
CREATE TABLE mail_outbox(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id), -- the recipient
  rcpt TEXT NOT NULL,           -- the address when it was queued
  subject TEXT NOT NULL,        -- zh-TW
  body TEXT NOT NULL,           -- zh-TW plain text
  made_on TEXT NOT NULL,        -- the Asia/Taipei day the text counts
                                -- days from (YYYY-MM-DD)
  status TEXT NOT NULL DEFAULT 'queued' CHECK(status IN ('queued', 'sent',
    'dropped', 'failed')),      -- dropped: moot before it went out;
                                -- failed: given up after many attempts
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,     -- not tried before then (backoff; also the
                                -- lease of a delivery in progress)
  attempts INTEGER NOT NULL DEFAULT 0, -- failed deliveries so far
  last_error TEXT,              -- why the last attempt failed, or why it
                                -- was dropped
  sent_at INTEGER               -- when the relay accepted it
) STRICT;

-- index mail_outbox_due
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_at);

-- table mail_outbox_item
CREATE TABLE mail_outbox_item(
  mail INTEGER NOT NULL REFERENCES mail_outbox(id),
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  key TEXT NOT NULL,            -- as in remind_sent
  PRIMARY KEY(mail, occurrence, key)
) STRICT, WITHOUT ROWID;

-- table member
CREATE TABLE member(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 姓名
  title TEXT,                   -- 職稱
  unit TEXT,                    -- 單位
  org_unit INTEGER REFERENCES org_unit(id), -- 組別
  duty TEXT,                    -- 分工職掌
  phone TEXT,                   -- 電話
  email TEXT,                   -- 電子郵件
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table member_fts
CREATE VIRTUAL TABLE member_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index member_list
CREATE INDEX member_list ON member(archived, name);

-- table notice
CREATE TABLE notice(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  kind TEXT NOT NULL CHECK(kind IN ('due', 'overdue', 'escalate')),
  key TEXT NOT NULL,            -- the reminder key it came from
  created_at INTEGER NOT NULL,
  read_at INTEGER               -- NULL while unread
) STRICT;

-- index notice_account
CREATE INDEX notice_account ON notice(account, read_at);

-- table occurrence
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

-- index occurrence_due
CREATE INDEX occurrence_due ON occurrence(status, due_on);

-- table occurrence_event
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

-- trigger occurrence_event_fixed
CREATE TRIGGER occurrence_event_fixed BEFORE UPDATE ON occurrence_event
BEGIN
  SELECT RAISE(ABORT, 'occurrence_event is append-only');
END;

-- trigger occurrence_event_kept
CREATE TRIGGER occurrence_event_kept BEFORE DELETE ON occurrence_event
BEGIN
  SELECT RAISE(ABORT, 'occurrence_event is append-only');
END;

-- index occurrence_event_of
CREATE INDEX occurrence_event_of ON occurrence_event(occurrence, id);

-- table org_unit
CREATE TABLE org_unit(
  id INTEGER PRIMARY KEY,
  seq INTEGER,                  -- 排序
  kind TEXT NOT NULL CHECK(kind IN ('ciso', 'team', 'group')),
                                -- 資通安全長 / 推動小組 / 分組
  name TEXT NOT NULL,           -- 名稱
  holder TEXT,                  -- 擔任者 or how it is formed
  parent INTEGER REFERENCES org_unit(id), -- 隸屬
  duties TEXT,                  -- 任務 / 職掌, one per line
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table org_unit_fts
CREATE VIRTUAL TABLE org_unit_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index org_unit_list
CREATE INDEX org_unit_list ON org_unit(archived, seq);

-- table outage
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

-- table outage_fts
CREATE VIRTUAL TABLE outage_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index outage_list
CREATE INDEX outage_list ON outage(archived, started);

-- index outage_system
CREATE INDEX outage_system ON outage(system, started);

-- table password_history
CREATE TABLE password_history(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES account(id),
  hash TEXT NOT NULL,           -- argon2id string
  set_at INTEGER NOT NULL       -- when it was set
) STRICT;

-- index password_history_account
CREATE INDEX password_history_account ON password_history(account, id);

-- table policy
CREATE TABLE policy(
  id INTEGER PRIMARY KEY,
  seq INTEGER,                  -- 項次
  kind TEXT NOT NULL CHECK(kind IN ('policy', 'quantitative', 'qualitative')),
                                -- 政策 / 量化型目標 / 質化型目標
  text TEXT NOT NULL,           -- 內容
  status TEXT NOT NULL CHECK(status IN ('draft', 'approved', 'retired')),
                                -- 核定狀態
  approver TEXT,                -- 核定人
  approved_on TEXT,             -- 核定日期 'YYYY-MM-DD'
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table policy_fts
CREATE VIRTUAL TABLE policy_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index policy_list
CREATE INDEX policy_list ON policy(archived, seq);

-- table priv_request
CREATE TABLE priv_request(
  id INTEGER PRIMARY KEY,
  owner INTEGER NOT NULL REFERENCES account(id), -- the applicant's daily
                                -- account
  login TEXT NOT NULL,          -- the privileged user ID asked for
  reason TEXT NOT NULL,         -- 申請理由（必要性）
  valid_until TEXT NOT NULL,    -- 使用期限 'YYYY-MM-DD'
  status TEXT NOT NULL CHECK(status IN ('pending', 'approved', 'rejected',
    'used')),                   -- used: the account was made from it
  requested_at TEXT NOT NULL,   -- UTC
  decided_by TEXT,              -- 核准人 (login)
  decided_at TEXT,              -- UTC
  note TEXT,                    -- 審查意見
  account INTEGER REFERENCES account(id) -- the account made from it
) STRICT;

-- index priv_request_status
CREATE INDEX priv_request_status ON priv_request(status, id);

-- table pw_exception
CREATE TABLE pw_exception(
  id INTEGER PRIMARY KEY,
  system TEXT NOT NULL,         -- 資通系統
  requirement TEXT NOT NULL,    -- 調整之通行碼要求
  reason TEXT NOT NULL,         -- 原因（功能限制）
  approver TEXT NOT NULL,       -- 核准人
  approved_on TEXT NOT NULL,    -- 核准日期 YYYY-MM-DD
  valid_until TEXT,             -- 有效期限 YYYY-MM-DD
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table pw_exception_fts
CREATE VIRTUAL TABLE pw_exception_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index pw_exception_list
CREATE INDEX pw_exception_list ON pw_exception(archived, system);

-- table recovery_code
CREATE TABLE recovery_code(
  account INTEGER NOT NULL REFERENCES account(id),
  hash TEXT NOT NULL,           -- SHA-256 hex of the canonical code
  used_at INTEGER,              -- NULL until used (never twice)
  PRIMARY KEY(account, hash)
) STRICT, WITHOUT ROWID;

-- table reg_history
CREATE TABLE reg_history(
  id INTEGER PRIMARY KEY,       -- order of the changes
  register TEXT NOT NULL,       -- register name, e.g. 'business'
  record_id INTEGER NOT NULL,   -- id in that register's table
  at TEXT NOT NULL,             -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
  actor TEXT NOT NULL,          -- who: user name, or 'cli:<login>'
  action TEXT NOT NULL CHECK(action IN
    ('update', 'archive', 'restore', 'import')),
  field TEXT,                   -- changed field (NULL for archive/restore)
  before TEXT,                  -- value before (NULL: empty)
  after TEXT                    -- value after (NULL: empty)
) STRICT;

-- index reg_history_record
CREATE INDEX reg_history_record ON reg_history(register, record_id, id);

-- table remind_sent
CREATE TABLE remind_sent(
  occurrence INTEGER NOT NULL REFERENCES occurrence(id),
  key TEXT NOT NULL,            -- d30, d7, d1 (days before the due date),
                                -- overdue:YYYY-MM-DD (that day's digest),
                                -- escalate (to the CISO, once)
  account INTEGER NOT NULL REFERENCES account(id),
  at INTEGER NOT NULL,          -- when it was decided
  PRIMARY KEY(occurrence, key, account)
) STRICT, WITHOUT ROWID;

-- index remind_sent_account
CREATE INDEX remind_sent_account ON remind_sent(account, occurrence);

-- table review
CREATE TABLE review(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('privileged', 'accounts')),
  period TEXT NOT NULL,         -- '2026-Q4' (privileged) or '2026-H2'
  opened_at TEXT NOT NULL,      -- UTC
  opened_by TEXT NOT NULL,      -- who
  closed_at TEXT,               -- UTC, NULL while open
  closed_by TEXT,               -- who closed it
  UNIQUE(kind, period)
) STRICT;

-- table review_item
CREATE TABLE review_item(
  review INTEGER NOT NULL REFERENCES review(id),
  account INTEGER NOT NULL REFERENCES account(id),
  roles TEXT NOT NULL,          -- its roles when the review opened
  decision TEXT CHECK(decision IS NULL OR decision IN ('keep', 'disable')),
                                -- 保留 / 停用 (離職、不再需要)
  note TEXT,                    -- 說明
  decided_by TEXT,              -- who
  decided_at TEXT,              -- UTC
  PRIMARY KEY(review, account)
) STRICT, WITHOUT ROWID;

-- table risk
CREATE TABLE risk(
  id INTEGER PRIMARY KEY,       -- record id
  campaign INTEGER NOT NULL REFERENCES risk_campaign(id), -- 風險評鑑
  asset INTEGER REFERENCES asset(id), -- 資產 (or asset_group)
  asset_group TEXT,             -- 資產群組 (when no single asset)
  threat TEXT NOT NULL,         -- 威脅
  vulnerability TEXT,           -- 弱點
  catalog TEXT,                 -- 風險類型 id of data/rules/risk_catalog.json
  controls TEXT,                -- 現有控制措施
  likelihood INTEGER NOT NULL CHECK(likelihood >= 1), -- 可能性
  impact INTEGER NOT NULL CHECK(impact >= 1), -- 衝擊
  asset_value INTEGER CHECK(asset_value IS NULL OR asset_value BETWEEN 1
    AND 3),                     -- 資產價值 (default: the system's level;
                                -- always set on save)
  value INTEGER CHECK(value IS NULL OR value >= 1),
                                -- 風險值 (computed on save)
  treatment TEXT CHECK(treatment IS NULL OR treatment IN ('reduce',
    'transfer', 'avoid', 'accept')), -- 降低 / 移轉 / 避免 / 接受
  plan TEXT,                    -- 處理計畫
  owner TEXT,                   -- 負責人
  due TEXT,                     -- 預定完成日 YYYY-MM-DD
  residual_likelihood INTEGER CHECK(residual_likelihood IS NULL OR
    residual_likelihood >= 1),  -- 殘餘可能性
  residual_impact INTEGER CHECK(residual_impact IS NULL OR
    residual_impact >= 1),      -- 殘餘衝擊
  residual_value INTEGER CHECK(residual_value IS NULL OR
    residual_value >= 1),       -- 殘餘風險值 (computed)
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- table risk_acceptance
CREATE TABLE risk_acceptance(
  id INTEGER PRIMARY KEY,       -- row id, the latest wins
  risk INTEGER NOT NULL REFERENCES risk(id), -- the risk accepted
  content_hash TEXT NOT NULL CHECK(length(content_hash) = 64),
                                -- hex SHA-256 of the risk's content
  approver TEXT NOT NULL,       -- 核定人 (login)
  approved_at TEXT NOT NULL,    -- UTC
  note TEXT                     -- 核定意見
) STRICT;

-- index risk_acceptance_risk
CREATE INDEX risk_acceptance_risk ON risk_acceptance(risk, id);

-- table risk_campaign
CREATE TABLE risk_campaign(
  id INTEGER PRIMARY KEY,       -- record id
  year INTEGER NOT NULL CHECK(year BETWEEN 2000 AND 2200), -- 評鑑年度 (西元)
  title TEXT NOT NULL,          -- 評鑑名稱
  likelihood_levels INTEGER CHECK(likelihood_levels IS NULL OR
    likelihood_levels BETWEEN 2 AND 9), -- 可能性等級數 1..N (empty: 3)
  impact_levels INTEGER CHECK(impact_levels IS NULL OR
    impact_levels BETWEEN 2 AND 9), -- 衝擊等級數 1..N (empty: 3)
  threshold INTEGER NOT NULL CHECK(threshold >= 1), -- 可接受風險值上限
  status TEXT NOT NULL CHECK(status IN ('open', 'closed')), -- 進行中 / 已結束
  notes TEXT,                   -- 說明
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- table risk_campaign_fts
CREATE VIRTUAL TABLE risk_campaign_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index risk_campaign_list
CREATE INDEX risk_campaign_list ON risk_campaign(archived, title);

-- index risk_campaign_of
CREATE INDEX risk_campaign_of ON risk(campaign);

-- index risk_campaign_year
CREATE INDEX risk_campaign_year ON risk_campaign(archived, year);

-- table risk_fts
CREATE VIRTUAL TABLE risk_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index risk_list
CREATE INDEX risk_list ON risk(archived, threat);

-- table risk_type
CREATE TABLE risk_type(
  id INTEGER PRIMARY KEY,       -- record id; catalog id "A" || id
  type TEXT NOT NULL,           -- 風險類型
  threat TEXT NOT NULL,         -- 威脅
  vulnerability TEXT,           -- 弱點
  info INTEGER CHECK(info IS NULL OR info IN (0, 1)),
                                -- 適用於資訊資產
  software INTEGER CHECK(software IS NULL OR software IN (0, 1)),
                                -- 適用於軟體資產
  physical INTEGER CHECK(physical IS NULL OR physical IN (0, 1)),
                                -- 適用於實體資產
  service INTEGER CHECK(service IS NULL OR service IN (0, 1)),
                                -- 適用於支援服務資產 (at least one of the
                                -- four is 1, checked on save)
  countermeasures TEXT NOT NULL, -- 風險對策, one per line
  family TEXT,                  -- 附表十構面 the countermeasures implement
                                -- (zh-TW name, as in baseline.json)
  notes TEXT,                   -- 備註
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)), -- 封存
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it
  updated_at TEXT NOT NULL      -- UTC
) STRICT;

-- table risk_type_fts
CREATE VIRTUAL TABLE risk_type_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index risk_type_list
CREATE INDEX risk_type_list ON risk_type(archived, type);

-- index risk_value
CREATE INDEX risk_value ON risk(archived, value);

-- table session
CREATE TABLE session(
  id_hash BLOB PRIMARY KEY,     -- SHA-256 of the cookie value
  account INTEGER NOT NULL REFERENCES account(id),
  state TEXT NOT NULL CHECK(state IN ('mfa', 'change', 'enroll', 'ok')),
                                -- the step still needed before 'ok'
  rights INTEGER NOT NULL,      -- the account's rights at sign-in
  csrf TEXT NOT NULL,           -- this session's CSRF token
  created_at INTEGER NOT NULL,  -- absolute lifetime counts from here
  seen_at INTEGER NOT NULL,     -- idle time counts from here
  source TEXT                   -- client address at sign-in
) STRICT, WITHOUT ROWID;

-- index session_account
CREATE INDEX session_account ON session(account);

-- table setting
CREATE TABLE setting(
  name TEXT PRIMARY KEY,        -- e.g. 'password-min-length'
  value TEXT NOT NULL,          -- checked against the declaration
  updated_at TEXT NOT NULL,     -- UTC
  updated_by TEXT NOT NULL      -- who changed it
) STRICT;

-- table system
CREATE TABLE system(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 資通系統名稱
  is_core INTEGER CHECK(is_core IS NULL OR is_core IN (0, 1)),
                                -- 核心資通系統 (a 高 grading sets it)
  level TEXT CHECK(level IS NULL OR level IN ('low', 'mid', 'high')),
                                -- 防護需求等級, set by an approved grading
  sourcing TEXT NOT NULL CHECK(sourcing IN ('self', 'outsourced', 'shared')),
                                -- 自行開發 / 委外開發 / 共用系統
  grader TEXT,                  -- 共用系統之分級機關
  contractor TEXT,              -- 委外廠商
  environment TEXT NOT NULL CHECK(environment IN ('prod', 'test')),
                                -- 正式 / 測試環境
  host TEXT,                    -- 網址或主機
  mtd_hours INTEGER CHECK(mtd_hours IS NULL OR mtd_hours > 0), -- MTD
  rto_hours INTEGER CHECK(rto_hours IS NULL OR rto_hours >= 0), -- RTO
  rpo_hours INTEGER CHECK(rpo_hours IS NULL OR rpo_hours >= 0), -- RPO
  data_kinds TEXT,              -- 保有資料類型 (個人資料、公務機密 …)
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- table system_business
CREATE TABLE system_business(
  rec INTEGER NOT NULL REFERENCES system(id),   -- the system
  ref INTEGER NOT NULL REFERENCES business(id), -- a business it serves
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;

-- index system_business_ref
CREATE INDEX system_business_ref ON system_business(ref);

-- table system_fts
CREATE VIRTUAL TABLE system_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- index system_list
CREATE INDEX system_list ON system(archived, name);
