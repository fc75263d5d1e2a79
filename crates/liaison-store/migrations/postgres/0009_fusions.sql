-- Fused incidents: reports (claims) of one event by several members, clustered by
-- liaison-fusion, never merged into one another. A fused incident lists the claims it was made
-- of and the version of each that was fused; its agreed versions are appended, never edited; its
-- members' sign-offs name the version they signed with an Ed25519 signature over its canonical
-- bytes. A split flips the fused incident's status to 'split' (the only update anywhere here),
-- records which claims went where, and keeps every pair it separated apart for ever after.
-- Keep in step with ../sqlite/0009_fusions.sql.
CREATE TABLE fusions (
    id           TEXT PRIMARY KEY,
    seq          BIGINT NOT NULL UNIQUE,
    status       TEXT NOT NULL,
    window_json  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE TABLE fusion_claims (
    fusion_id    TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    originator   TEXT NOT NULL,
    version      BIGINT NOT NULL,
    PRIMARY KEY (fusion_id, incident_id)
);
CREATE INDEX fusion_claims_by_incident ON fusion_claims (incident_id, fusion_id);
CREATE TABLE fusion_versions (
    fusion_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    doc          TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    proposed_by  TEXT NOT NULL,
    proposed_at  TEXT NOT NULL,
    PRIMARY KEY (fusion_id, version)
);
CREATE TABLE fusion_signoffs (
    fusion_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    member       TEXT NOT NULL,
    signature    TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    signed_by    TEXT NOT NULL,
    signed_at    TEXT NOT NULL,
    PRIMARY KEY (fusion_id, version, member)
);
-- What a split did: each claim of the split fusion and the fused incident it went to (NULL when
-- it was left alone).
CREATE TABLE fusion_splits (
    fusion_id    TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    part_id      TEXT,
    split_at     TEXT NOT NULL,
    split_by     TEXT NOT NULL,
    PRIMARY KEY (fusion_id, incident_id)
);
-- Pairs a split separated (a < b): never fused together again.
CREATE TABLE fusion_kept_apart (
    a            TEXT NOT NULL,
    b            TEXT NOT NULL,
    fusion_id    TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
