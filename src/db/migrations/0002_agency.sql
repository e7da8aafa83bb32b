-- 0002_agency: the registers of plan chapters 壹–伍 and 附表1.
-- Every register table has the engine's columns id, archived, version,
-- created_at, created_by, updated_at, and a derived full-text table
-- <name>_fts whose rowid is the record id (rebuilt by `isms rebuild`).
-- Who created a record and when is kept on the record itself; reg_history
-- holds every later change.

-- 壹 貳: the agency profile.
CREATE TABLE agency(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 機關名稱
  level TEXT NOT NULL CHECK(level IN ('A', 'B', 'C', 'D', 'E')),
                                -- 資通安全責任等級
  level_basis TEXT,             -- 等級說明 (plan 柒.二)
  legal_basis TEXT,             -- 訂定依據 (plan 壹)
  scope TEXT,                   -- 適用範圍 (plan 貳)
  superior TEXT,                -- 上級機關
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1, -- bumped by every update
  created_at TEXT NOT NULL,     -- UTC
  created_by TEXT NOT NULL,     -- who created it (as reg_history.actor)
  updated_at TEXT NOT NULL      -- UTC
) STRICT;
CREATE VIRTUAL TABLE agency_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 伍: the CISO, the promotion team and its groups, with their duties.
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
CREATE INDEX org_unit_list ON org_unit(archived, seq);
CREATE VIRTUAL TABLE org_unit_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 伍 and form 2: the promotion team's member roster.
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
CREATE INDEX member_list ON member(archived, name);
CREATE VIRTUAL TABLE member_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 參 and 附表1: core and non-core businesses.
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
CREATE INDEX business_list ON business(archived, seq);
CREATE INDEX business_name ON business(archived, name);
CREATE VIRTUAL TABLE business_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 肆: policy statements and goals.
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
CREATE INDEX policy_list ON policy(archived, seq);
CREATE VIRTUAL TABLE policy_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 肆.二.(一): the measurable targets of the quantitative goals.
CREATE TABLE goal_metric(
  id INTEGER PRIMARY KEY,
  goal INTEGER NOT NULL REFERENCES policy(id), -- 所屬目標
  metric TEXT NOT NULL,         -- 衡量指標
  comparator TEXT NOT NULL CHECK(comparator IN ('>=', '>', '<=', '<', '=')),
  target REAL NOT NULL,         -- 目標值
  unit TEXT,                    -- 單位
  formula TEXT,                 -- 計算方式
  archived INTEGER NOT NULL DEFAULT 0 CHECK(archived IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX goal_metric_goal ON goal_metric(goal);
CREATE VIRTUAL TABLE goal_metric_fts USING fts5(body, tokenize='trigram',
  detail=none);
