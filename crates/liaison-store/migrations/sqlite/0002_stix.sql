-- STIX objects kept verbatim on SQLite: every object of every imported bundle or envelope, known
-- to Liaison or not (unknown types, custom properties, extensions), so that it can be served back
-- as it came. Keep it in step with ../postgres/0002_stix.sql.
--
-- `seq` is the node's own counter (row key and order of listings, never reused). `modified` is
-- the object's version: its `modified`, else its `created`, as a fixed-width UTC timestamp with
-- nanoseconds (so versions sort as text and two spellings of one instant are one version), or ''
-- for objects that have neither (cyber observables). `doc` is the object's JSON text as received.
CREATE TABLE stix_objects (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    spec_version TEXT,
    modified     TEXT NOT NULL,
    doc          TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    UNIQUE (id, modified)
);
CREATE INDEX stix_objects_type ON stix_objects (type, seq);
