-- The disclosure ledger on PostgreSQL: an append-only RFC 6962 Merkle log of what this node recorded,
-- disclosed, received, recalled and read; its signed checkpoints and the witnesses' cosignatures;
-- what this node witnessed of its peers' logs; alarms; receipts. Keep it in step with
-- ../sqlite/0006_ledger.sql. Hashes are lower-case hex.

-- The log's head, one row: its size, root, and the frontier (the hashes of the perfect subtrees
-- of [0, size), concatenated), which is all an append needs. Writers update this row first, so
-- appends are serialised on both engines.
CREATE TABLE ledger_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    size     BIGINT NOT NULL,
    root     TEXT NOT NULL,
    frontier TEXT NOT NULL
);
INSERT INTO ledger_head (id, size, root, frontier)
VALUES (1, 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '');

-- The entries: leaf `idx` (0-based, no gaps), its canonical encoding (liaison_ledger::Entry) and
-- the leaf hash (level 0 of the tree). `concerns` lists the member codes the entry names,
-- space-separated with a space on each side, so a peer's view can be filtered.
CREATE TABLE ledger_entries (
    idx       BIGINT PRIMARY KEY,
    kind      TEXT NOT NULL,
    at        TEXT NOT NULL,
    concerns  TEXT NOT NULL,
    entry     TEXT NOT NULL,
    leaf_hash TEXT NOT NULL
);

-- The perfect subtrees above the leaves: level L, index i covers leaves [i * 2^L, (i + 1) * 2^L).
CREATE TABLE ledger_nodes (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Every checkpoint this node signed (a C2SP signed note), one per append transaction.
CREATE TABLE ledger_checkpoints (
    size      BIGINT PRIMARY KEY,
    root      TEXT NOT NULL,
    note      TEXT NOT NULL,
    signed_at TEXT NOT NULL
);

-- Cosignatures of our checkpoints returned by witnesses (C2SP tlog-cosignature lines).
CREATE TABLE ledger_cosignatures (
    size        BIGINT NOT NULL,
    witness     TEXT NOT NULL,
    line        TEXT NOT NULL,
    cosigned_at BIGINT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (size, witness)
);

-- What this node last verified of each peer's log: the checkpoint, its frontier (so the next
-- entries can be checked against the next root), and where the rolling re-check of the old
-- entries that concern us stands.
CREATE TABLE witness_state (
    peer         TEXT PRIMARY KEY,
    size         BIGINT NOT NULL,
    root         TEXT NOT NULL,
    frontier     TEXT NOT NULL,
    note         TEXT NOT NULL,
    checked_at   TEXT NOT NULL,
    recheck_from BIGINT NOT NULL DEFAULT 0
);

-- The entries of a peer's log that concern us, as first verified against its root.
CREATE TABLE witnessed_entries (
    peer      TEXT NOT NULL,
    idx       BIGINT NOT NULL,
    leaf_hash TEXT NOT NULL,
    entry     TEXT NOT NULL,
    PRIMARY KEY (peer, idx)
);

-- Inconsistencies found in a peer's log (fork, rollback, bad proof, altered entry) or in ours.
CREATE TABLE ledger_alarms (
    seq    BIGSERIAL PRIMARY KEY,
    peer   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    detail TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- Signed receipts: those we issued for pages we received (delivered at the next sync) and those
-- peers returned to us for what we disclosed.
CREATE TABLE receipts (
    direction    TEXT NOT NULL,
    peer         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    doc          TEXT NOT NULL,
    first_index  BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    at           TEXT NOT NULL,
    delivered_at TEXT,
    PRIMARY KEY (direction, sha256)
);
CREATE INDEX receipts_peer ON receipts (direction, peer);
