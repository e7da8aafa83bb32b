-- 0012_system_business: an information system serves several businesses
-- (issue 4).  The one reference system.business becomes the join table
-- of the register field system.business (FT_REFS): one row per system
-- and business it serves.

CREATE TABLE system_business(
  rec INTEGER NOT NULL REFERENCES system(id),   -- the system
  ref INTEGER NOT NULL REFERENCES business(id), -- a business it serves
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;
-- Which systems serve a business (the list filter).
CREATE INDEX system_business_ref ON system_business(ref);

-- Every business a system named so far; then the old column goes (no
-- index used it).
INSERT INTO system_business(rec, ref)
  SELECT id, business FROM system WHERE business IS NOT NULL;
ALTER TABLE system DROP COLUMN business;
