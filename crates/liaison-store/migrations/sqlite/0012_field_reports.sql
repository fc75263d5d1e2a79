-- Field reports: the short texts community liaisons and patrols send over poor links, each kept
-- as it came (nothing lost, even when it cannot be read), with the draft incident it was read
-- into, until an analyst accepts it (it becomes an incident of this node) or rejects it.
-- A review changes only the status columns; the text and the draft stay as they were read.
-- Keep in step with ../postgres/0012_field_reports.sql.
CREATE TABLE field_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at  TEXT NOT NULL,
    sender       TEXT NOT NULL,
    text         TEXT NOT NULL,
    -- 'draft' (read, waiting for review), 'unreadable' (the error says why), 'accepted',
    -- 'rejected'.
    status       TEXT NOT NULL,
    error        TEXT,
    draft        TEXT,
    incident_id  TEXT,
    reviewed_at  TEXT,
    reviewed_by  TEXT,
    review_note  TEXT
);
CREATE INDEX field_reports_by_status ON field_reports (status, id);
