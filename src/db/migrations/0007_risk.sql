-- 0007_risk: plan 捌 (risk assessment), forms 6 and 7: the yearly
-- assessment campaigns, the risks assessed in each, and the CISO's
-- acceptance of a risk, bound to the risk's content at the time.

-- 捌: one yearly risk assessment with its scales and threshold.
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
CREATE INDEX risk_campaign_list ON risk_campaign(archived, title);
CREATE INDEX risk_campaign_year ON risk_campaign(archived, year);
CREATE VIRTUAL TABLE risk_campaign_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 捌 and form 6: one risk of an asset (or a group of assets) in a
-- campaign.  value = likelihood × impact × asset_value, computed on save.
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
CREATE INDEX risk_list ON risk(archived, threat);
CREATE INDEX risk_value ON risk(archived, value);
CREATE INDEX risk_campaign_of ON risk(campaign);
CREATE VIRTUAL TABLE risk_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- The CISO's acceptance of a risk.  It holds only while the risk's
-- content still hashes to content_hash; any change asks for a new one.
CREATE TABLE risk_acceptance(
  id INTEGER PRIMARY KEY,       -- row id, the latest wins
  risk INTEGER NOT NULL REFERENCES risk(id), -- the risk accepted
  content_hash TEXT NOT NULL CHECK(length(content_hash) = 64),
                                -- hex SHA-256 of the risk's content
  approver TEXT NOT NULL,       -- 核定人 (login)
  approved_at TEXT NOT NULL,    -- UTC
  note TEXT                     -- 核定意見
) STRICT;
CREATE INDEX risk_acceptance_risk ON risk_acceptance(risk, id);
