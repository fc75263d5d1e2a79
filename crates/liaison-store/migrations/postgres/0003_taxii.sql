-- TAXII 2.1 on PostgreSQL: collections, the objects they hold (verbatim), Status resources, and the
-- client's resume points. Keep it in step with ../sqlite/0003_taxii.sql.
-- Portable SQL only (no extensions), so PostgreSQL-compatible engines can run it.

-- `id` is the collection's UUID, as TAXII shows it; `num` is what object rows carry (a small key
-- keeps the indexes small). `last_added` is the newest date_added handed out in the collection:
-- a write takes max(now, last_added), so date_added never goes back and follows `seq`.
CREATE TABLE taxii_collections (
    num         BIGSERIAL PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    read_only   BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    last_added  TEXT COLLATE "C" NOT NULL DEFAULT ''
);

-- One row per (collection, object id, version). `seq` is the node's own counter (never reused:
-- a sequence), the order of every listing and what a TAXII `next` token carries.
-- `version_key` is the version as a fixed-width UTC timestamp (nanoseconds), so versions compare
-- as text; `date_added` is fixed-width too (milliseconds). Both use the C collation, so text order
-- is byte order, as on SQLite.
CREATE TABLE taxii_objects (
    seq          BIGSERIAL PRIMARY KEY,
    collection   BIGINT NOT NULL REFERENCES taxii_collections (num)
                 DEFERRABLE INITIALLY DEFERRED,
    object_id    TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    version      TEXT NOT NULL,
    version_key  TEXT COLLATE "C" NOT NULL,
    date_added   TEXT COLLATE "C" NOT NULL,
    doc          TEXT NOT NULL
);
CREATE INDEX taxii_objects_page ON taxii_objects (collection, seq);
CREATE UNIQUE INDEX taxii_objects_version ON taxii_objects (collection, object_id, version_key);

CREATE TABLE taxii_status (
    id          TEXT PRIMARY KEY,
    collection  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    doc         TEXT NOT NULL
);

-- Where `liaison taxii pull` stopped, per remote (API root URL, collection).
CREATE TABLE taxii_pull_cursors (
    api_root         TEXT NOT NULL,
    collection       TEXT NOT NULL,
    local_collection TEXT NOT NULL REFERENCES taxii_collections (id),
    next_token       TEXT,
    added_after      TEXT,
    complete         BIGINT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (api_root, collection)
);
