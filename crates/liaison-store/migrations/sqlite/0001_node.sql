-- The first schema of a Liaison node on SQLite. Keep it in step with ../postgres/0001_node.sql:
-- same tables, same columns, same meaning; only types and the full-text index differ.

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
    ucdp_id INTEGER,
    doc     TEXT NOT NULL
);
CREATE INDEX actors_ucdp ON actors (ucdp_id);

CREATE TABLE places (
    key     TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL,
    doc     TEXT NOT NULL
);

-- The current version of each incident. `seq` is the node's own monotonic counter: the row key,
-- the full-text row id and the tie-breaker of every ordering.
CREATE TABLE incidents (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    originator        TEXT NOT NULL,
    version           INTEGER NOT NULL,
    event_type        TEXT NOT NULL,
    sub_type          TEXT NOT NULL,
    date_start        TEXT NOT NULL,
    date_end          TEXT NOT NULL,
    year              INTEGER NOT NULL,
    month             TEXT NOT NULL,
    lat               REAL,
    lon               REAL,
    country           TEXT NOT NULL,
    coords_country    TEXT,
    fatalities_best   INTEGER NOT NULL,
    fatalities_low    INTEGER NOT NULL,
    fatalities_high   INTEGER NOT NULL,
    dataset           TEXT,
    record_id         TEXT,
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL,
    doc               TEXT NOT NULL
);
CREATE INDEX incidents_date ON incidents (date_start, seq);
CREATE INDEX incidents_type_date ON incidents (event_type, date_start, lat, lon, seq);
CREATE INDEX incidents_country_date ON incidents (country, date_start, seq);

-- Versions that a newer one replaced; the current version lives in `incidents`.
CREATE TABLE incident_versions (
    incident_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (incident_id, version)
);

-- Search terms made in Rust (liaison_core::text), so both engines match the same words.
CREATE VIRTUAL TABLE incident_terms USING fts5 (
    terms,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE imports (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    rows_read    INTEGER NOT NULL,
    inserted     INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    imported_at  TEXT NOT NULL
);
