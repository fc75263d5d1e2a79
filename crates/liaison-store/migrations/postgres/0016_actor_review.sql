-- Names incidents give their actors, linked to the node's actor records after the fact, and
-- merges of actor records. Nothing here rewrites an incident (incidents are versioned by their
-- originator only) or an actor record: a link is a row beside the incident, a merge a row beside
-- both records, and undoing a merge (a split) marks its row. Nothing is ever deleted.
-- Keep in step with ../sqlite/0016_actor_review.sql.

-- One row per (incident, name as written) that the link pass linked or proposed. `status`:
-- 'linked' (counted as the incident naming `actor_id`), 'proposed' (waiting for review, `actor_id`
-- the proposal) or 'rejected' (`actor_id` NULL). `method`: 'auto' (linked by the pass at or above
-- the confident threshold), 'proposed' (not yet decided), 'accepted' (a person accepted the
-- proposal), 'rejected', 'manual' (a person rejected the proposal and named another actor).
-- `proposed_actor_id`, `score`, `matched` and `reasons` (JSON) are the matcher's and never change.
CREATE TABLE actor_name_links (
    id                BIGSERIAL PRIMARY KEY,
    incident_id       TEXT NOT NULL,
    actor_name        TEXT NOT NULL,
    actor_id          TEXT,
    status            TEXT NOT NULL,
    method            TEXT NOT NULL,
    proposed_actor_id TEXT NOT NULL,
    matched           TEXT NOT NULL,
    score             DOUBLE PRECISION NOT NULL,
    reasons           TEXT NOT NULL,
    found_at          TEXT NOT NULL,
    found_by          TEXT NOT NULL,
    decided_at        TEXT,
    decided_by        TEXT,
    UNIQUE (incident_id, actor_name)
);
CREATE INDEX actor_name_links_by_status ON actor_name_links (status, id);
CREATE INDEX actor_name_links_by_actor ON actor_name_links (actor_id);

-- A merge says `other_id` and `keep_id` are one actor: `other_id` counts as `keep_id` while the
-- merge stands (`split_at` NULL). A split fills the split columns and nothing else.
CREATE TABLE actor_merges (
    id           BIGSERIAL PRIMARY KEY,
    keep_id      TEXT NOT NULL,
    other_id     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    merged_at    TEXT NOT NULL,
    merged_by    TEXT NOT NULL,
    split_at     TEXT,
    split_by     TEXT,
    split_reason TEXT
);
-- A record is merged into at most one other at a time, whoever writes concurrently.
CREATE UNIQUE INDEX actor_merges_standing ON actor_merges (other_id) WHERE split_at IS NULL;
CREATE INDEX actor_merges_by_keep ON actor_merges (keep_id);
