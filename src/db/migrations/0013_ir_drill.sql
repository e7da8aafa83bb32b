-- 0013_ir_drill: plan 壹拾 items 2-3 and the drills of 資通安全事件通報應變
-- 及演練辦法 (115 §4, §5, §10, §16; 110 §8-§10, §18): the agency's
-- notification and response procedures as versioned documents with their
-- approval, and the records of the drills it held or took part in.

-- 壹拾.二、三: one version of a notification procedure (通報作業規範), a
-- response procedure (應變作業規範) or another procedure.  The yes/no
-- columns say which of the items the regulation requires the version
-- covers; an approved version of a kind must cover all of its kind's
-- items (checked on save).
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
CREATE INDEX ir_procedure_list ON ir_procedure(archived, title);
CREATE INDEX ir_procedure_effective ON ir_procedure(archived, effective);
-- One approved notification and one approved response procedure among
-- the active records (other procedures are different documents): the
-- register's check says so with a message naming the other one; this
-- index holds the rule against two saves at once, an import holding two
-- and the restore of an archived approved version.
CREATE UNIQUE INDEX ir_procedure_approved ON ir_procedure(kind)
  WHERE status = 'approved' AND archived = 0
    AND kind IN ('notify', 'response');
CREATE VIRTUAL TABLE ir_procedure_fts USING fts5(body, tokenize='trigram',
  detail=none);

-- 壹拾 and the drill rules: one drill held (or planned) by the agency or
-- by the organiser it took part in (the city government runs the
-- social-engineering drills of its bureaus).  report_due is one month
-- after held_on counted as 行政程序法 §48 counts, computed on save.
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
CREATE INDEX drill_list ON drill(archived, held_on);
CREATE INDEX drill_title ON drill(archived, title);
CREATE INDEX drill_kind ON drill(kind, held_on);
CREATE VIRTUAL TABLE drill_fts USING fts5(body, tokenize='trigram',
  detail=none);
