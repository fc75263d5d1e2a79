-- The first schema of a Liaison node on PostgreSQL. Keep it in step with ../sqlite/0001_node.sql:
-- same tables, same columns, same meaning; only types and the full-text index differ.
-- Portable SQL only (no extensions), so PostgreSQL-compatible engines can run it.

CREATE TABLE node_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE members (
    code TEXT PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE actors (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    ucdp_id BIGINT,
    doc     TEXT NOT NULL
);
CREATE INDEX actors_ucdp ON actors (ucdp_id);

CREATE TABLE places (
    key     TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL,
    doc     TEXT NOT NULL
);

CREATE TABLE incidents (
    seq               BIGSERIAL PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    originator        TEXT NOT NULL,
    version           BIGINT NOT NULL,
    event_type        TEXT NOT NULL,
    sub_type          TEXT NOT NULL,
    date_start        TEXT NOT NULL,
    date_end          TEXT NOT NULL,
    year              BIGINT NOT NULL,
    month             TEXT NOT NULL,
    lat               DOUBLE PRECISION,
    lon               DOUBLE PRECISION,
    country           TEXT NOT NULL,
    coords_country    TEXT,
    fatalities_best   BIGINT NOT NULL,
    fatalities_low    BIGINT NOT NULL,
    fatalities_high   BIGINT NOT NULL,
    dataset           TEXT,
    record_id         TEXT,
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL,
    doc               TEXT NOT NULL,
    -- Search terms made in Rust (liaison_core::text), indexed as whole words.
    terms             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incidents_date ON incidents (date_start, seq);
CREATE INDEX incidents_type_date ON incidents (event_type, date_start, lat, lon, seq);
CREATE INDEX incidents_country_date ON incidents (country, date_start, seq);
CREATE INDEX incidents_terms ON incidents USING GIN (to_tsvector('simple', terms));

-- Versions that a newer one replaced; the current version lives in `incidents`.
CREATE TABLE incident_versions (
    incident_id TEXT NOT NULL,
    version     BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (incident_id, version)
);

CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE imports (
    seq          BIGSERIAL PRIMARY KEY,
    dataset      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    rows_read    BIGINT NOT NULL,
    inserted     BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    rejected     BIGINT NOT NULL,
    imported_at  TEXT NOT NULL
);
