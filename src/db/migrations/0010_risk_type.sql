-- 0010_risk_type: form 7 (風險類型暨風險對策參考表) as the agency extends
-- it.  The reference entries ship as data (data/rules/risk_catalog.json,
-- ids R01 …); the agency's own risk types are records here, named in a
-- risk's catalog field as "A" followed by the record id (A1, A2 …), so
-- the two kinds of id never collide.
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
CREATE INDEX risk_type_list ON risk_type(archived, type);
CREATE VIRTUAL TABLE risk_type_fts USING fts5(body, tokenize='trigram',
  detail=none);
