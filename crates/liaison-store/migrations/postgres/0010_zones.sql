-- Integrated regional zones this node holds beside the built-in ones (liaison-geo), and which
-- zones each incident row lies in. A zone is kept as the GeoJSON Feature it was given in; a zone
-- given again under its id becomes its next version and the replaced one is kept in
-- zone_versions: nothing is overwritten.
-- Keep in step with ../sqlite/0010_zones.sql.
CREATE TABLE zones (
    id           TEXT PRIMARY KEY,
    version      BIGINT NOT NULL,
    name         TEXT NOT NULL,
    feature      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE TABLE zone_versions (
    id           TEXT NOT NULL,
    version      BIGINT NOT NULL,
    name         TEXT NOT NULL,
    feature      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
-- Zone membership by incident row number (incidents.seq). Rows are indexed by counter: every
-- incident row above the watermark in node_settings ('zone_index_seq') is placed in its zones
-- before a zone query runs. A new incident version is a new row, so it is indexed anew; the
-- replaced row's entries name a seq no incident has any more and match nothing.
CREATE TABLE incident_zones (
    zone_id  TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    PRIMARY KEY (zone_id, seq)
);
CREATE INDEX incident_zones_by_seq ON incident_zones (seq);
