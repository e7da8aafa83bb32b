-- 0014_incident_refs: the information systems and the businesses an
-- incident affects (plan 壹拾; issue 5 item 1), as the register fields
-- incident.systems and incident.businesses (FT_REFS: one row per pair).
CREATE TABLE incident_systems(
  rec INTEGER NOT NULL REFERENCES incident(id), -- the incident
  ref INTEGER NOT NULL REFERENCES system(id),   -- a system it affects
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;
CREATE INDEX incident_systems_ref ON incident_systems(ref);

CREATE TABLE incident_businesses(
  rec INTEGER NOT NULL REFERENCES incident(id), -- the incident
  ref INTEGER NOT NULL REFERENCES business(id), -- a business it affects
  PRIMARY KEY(rec, ref)
) WITHOUT ROWID, STRICT;
CREATE INDEX incident_businesses_ref ON incident_businesses(ref);
