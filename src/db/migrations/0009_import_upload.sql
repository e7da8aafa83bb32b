-- 0009_import_upload: files uploaded for the two-step import (upload,
-- then map columns and confirm), kept between the two steps.  A file is
-- deleted when its import succeeds and purged after a day in any case.
CREATE TABLE import_upload(
  id INTEGER PRIMARY KEY,
  register TEXT NOT NULL,   -- the register it is imported into
  data BLOB NOT NULL,       -- the file as uploaded (CSV or XLSX)
  filename TEXT NOT NULL,   -- the client's name, shown only
  created_by TEXT NOT NULL, -- only this account may use it
  created_at TEXT NOT NULL  -- UTC storage form, YYYY-MM-DDTHH:MM:SSZ
) STRICT;
CREATE INDEX import_upload_created ON import_upload(created_at);
