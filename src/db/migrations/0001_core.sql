-- 0001_core: what every register shares.
PRAGMA application_id = 1769172339; -- 'isms', see DB_APPLICATION_ID

-- Per-record change history of every register: who changed which field
-- of which record, when, from what to what; and archive, restore and
-- import events.  A record's creation (who, when) is on the record itself
-- (created_by, created_at).  Canonical; never updated.
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
CREATE INDEX reg_history_record ON reg_history(register, record_id, id);

-- Security-relevant events (STYLE.md C11).  Canonical; never updated.
CREATE TABLE audit_event(
  id INTEGER PRIMARY KEY,       -- order of the events
  at TEXT NOT NULL,             -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
  actor TEXT NOT NULL,          -- who
  action TEXT NOT NULL,         -- e.g. 'init', 'import', 'archive'
  object TEXT,                  -- what, e.g. 'business/12'
  detail TEXT                   -- free text for a person
) STRICT;
