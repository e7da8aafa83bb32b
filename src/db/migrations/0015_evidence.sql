-- 0015_evidence: evidence files kept unaltered (plan 壹拾: an incident's
-- evidence; later the proof that closes a duty).  The bytes live in the
-- database with their SHA-256, computed by isms on upload and checked on
-- every read; rows can be neither changed nor deleted.
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
CREATE INDEX evidence_file_sha ON evidence_file(sha256);
CREATE TRIGGER evidence_file_fixed BEFORE UPDATE ON evidence_file
BEGIN
  SELECT RAISE(ABORT, 'evidence_file is append-only');
END;
CREATE TRIGGER evidence_file_kept BEFORE DELETE ON evidence_file
BEGIN
  SELECT RAISE(ABORT, 'evidence_file is append-only');
END;

-- A timeline entry may carry one evidence file.
ALTER TABLE incident_event ADD COLUMN file INTEGER
  REFERENCES evidence_file(id); -- the evidence file, or NULL
