-- 0019_intel: plan 壹拾壹 (資通安全情資之評估及因應) and 資通安全情資分享辦法
-- (115 §2, §4-§9): the threat intelligence the agency receives, with its
-- classification, indicators, assessment and response, and the records
-- of what it shared with others (issue 7, part 1).

-- 壹拾壹: one piece of intelligence received.  The plan's category
-- (壹拾壹.一) decides the response rule (壹拾壹.二); kind is the content
-- type of 情資分享辦法 §2.  indicators holds one indicator per line
-- exactly as typed (defanged forms such as hxxp:// and example[.]com
-- stay so); the register's check classifies every line.
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
CREATE INDEX intel_list ON intel(archived, received);
CREATE INDEX intel_title ON intel(archived, title);
CREATE INDEX intel_category ON intel(category, received);
CREATE VIRTUAL TABLE intel_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- The incidents and the risks a piece of intelligence concerns (register
-- fields intel.incidents and intel.risks, FT_REFS: one row per pair).
CREATE TABLE intel_incidents(
  rec INTEGER NOT NULL REFERENCES intel(id),    -- the intelligence
  ref INTEGER NOT NULL REFERENCES incident(id), -- an incident it concerns
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;
CREATE INDEX intel_incidents_ref ON intel_incidents(ref);

CREATE TABLE intel_risks(
  rec INTEGER NOT NULL REFERENCES intel(id), -- the intelligence
  ref INTEGER NOT NULL REFERENCES risk(id),  -- a risk it concerns
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;
CREATE INDEX intel_risks_ref ON intel_risks(ref);

-- 情資分享辦法 §4, §5, §9: one sharing of a piece of intelligence by the
-- agency (outgoing only; what it receives is the intel record itself).
-- A channel other than the designated platform needs approval (§9), and
-- every sharing is confirmed free of what §4 forbids to share, so
-- cleared is always 1 (checked on save as well).
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
CREATE INDEX intel_share_list ON intel_share(archived, shared_on);
CREATE INDEX intel_share_intel ON intel_share(intel, shared_on);
CREATE VIRTUAL TABLE intel_share_fts USING fts5(body, tokenize='trigram',
  detail=none);
