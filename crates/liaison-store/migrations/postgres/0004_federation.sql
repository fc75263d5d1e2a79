-- Federation on PostgreSQL: peers and their keys, agreements (every version kept), what was disclosed
-- to whom, what was received from whom, recalls and their attestations, and each peer's sync
-- state. Keep it in step with ../sqlite/0004_federation.sql.
--
-- The outbox is `incidents.seq` itself: a new version is re-inserted under a new `seq`, so
-- "everything changed since cursor N" is `WHERE seq > N`.

-- A registered peer: the member it speaks for, where it answers, and its Ed25519 key (base64url).
-- A removed peer keeps its row (the ledger and past disclosures name it) with `removed_at` set.
CREATE TABLE peers (
    member      TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    removed_at  TEXT
);

-- Every version of every agreement this node made; the current one is the highest version.
CREATE TABLE agreements (
    id          TEXT NOT NULL,
    version     BIGINT NOT NULL,
    doc         TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- Each object sent to a peer, written before the bytes leave (write-ahead disclosure).
-- `kind`: release (under an agreement), recall (a tombstone), relay (another originator's object).
CREATE TABLE disclosures (
    seq               BIGSERIAL PRIMARY KEY,
    peer              TEXT NOT NULL,
    incident_id       TEXT NOT NULL,
    originator        TEXT NOT NULL,
    version           BIGINT NOT NULL,
    kind              TEXT NOT NULL,
    agreement         TEXT,
    agreement_version BIGINT,
    applied           TEXT NOT NULL,
    object_sha256     TEXT NOT NULL,
    at                TEXT NOT NULL
);
CREATE INDEX disclosures_incident ON disclosures (incident_id, peer);

-- Incidents recalled by this node (their originator): the version that is the tombstone.
CREATE TABLE recalls (
    incident_id TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL
);

-- What this node holds from other originators: the signed object exactly as received (so it
-- can be relayed and re-verified), or, once recalled, only the fact (the content is gone).
CREATE TABLE received (
    originator    TEXT NOT NULL,
    incident_id   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    from_peer     TEXT NOT NULL,
    object        TEXT,
    object_sha256 TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    recalled_at   TEXT,
    PRIMARY KEY (originator, incident_id)
);

-- Signed attestations: "member X hid incident I at version V". On the originator, those it
-- received; on a recipient, those it issued and still has to deliver (`delivered_at` empty).
CREATE TABLE attestations (
    originator   TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    by_member    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    hidden_at    TEXT NOT NULL,
    object       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    delivered_at TEXT,
    PRIMARY KEY (originator, incident_id, by_member)
);

-- Sync with each peer, as seen from this node (the puller): the peer's `next` token, and the
-- outcome of the last attempts. Failures are counted and kept, never silent.
CREATE TABLE sync_state (
    peer          TEXT PRIMARY KEY,
    cursor        TEXT NOT NULL DEFAULT '',
    last_attempt  TEXT,
    last_success  TEXT,
    last_error    TEXT,
    failures      BIGINT NOT NULL DEFAULT 0,
    received      BIGINT NOT NULL DEFAULT 0,
    backlog       BIGINT
);

-- Every refused federation request or object: who, when, why (never the refused content).
CREATE TABLE refusals (
    seq    BIGSERIAL PRIMARY KEY,
    peer   TEXT NOT NULL,
    at     TEXT NOT NULL,
    reason TEXT NOT NULL
);
