-- 0008_inventory: plan 柒.一.1, the yearly inventory of assets: a
-- campaign per year, with one item per asset that was active when it
-- opened; each asset's owner records it as confirmed, changed or missing.
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
CREATE INDEX inventory_item_owner ON inventory_item(inventory, owner);
