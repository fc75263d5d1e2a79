-- STIX objects kept verbatim on PostgreSQL. Keep it in step with ../sqlite/0002_stix.sql, which
-- says what each column means.
CREATE TABLE stix_objects (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    spec_version TEXT,
    modified     TEXT NOT NULL,
    doc          TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    UNIQUE (id, modified)
);
CREATE INDEX stix_objects_type ON stix_objects (type, seq);
