-- 0006_assets: plan 柒 (inventory) and 捌 (protection-need grading):
-- the information-system register, the asset register (form 5), the
-- gradings of 附表九 and the status of each 附表十 control per system.

-- 柒.二: information and communication systems.
CREATE TABLE system(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,           -- 資通系統名稱
  business INTEGER REFERENCES business(id), -- 支持之核心／主要業務
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
CREATE INDEX system_list ON system(archived, name);
CREATE VIRTUAL TABLE system_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 柒.一 and form 5: the information and communication assets.
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
CREATE INDEX asset_list ON asset(archived, name);
CREATE INDEX asset_system ON asset(system);
CREATE INDEX asset_property ON asset(archived, property_no);
CREATE VIRTUAL TABLE asset_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 捌 and 附表九: every grading of a system, kept with its approver.
-- Levels: 1 普, 2 中, 3 高.
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
CREATE INDEX grading_system ON grading(system, id);

-- 附表十: the state of each control a system must meet.  No row: not
-- addressed yet.  Changes are kept in control_history.
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
CREATE INDEX control_history_system ON control_history(system, control, id);
