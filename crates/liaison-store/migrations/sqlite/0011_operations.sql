-- Operations and forces of the joint command (liaison-ops): members' force contributions,
-- declared operations with every version kept, the deconfliction notices they gave, and which
-- incidents belong to which operation.
-- Keep in step with ../postgres/0011_operations.sql.

-- Force contribution records, append-only: a later figure is a new record. The id is given or
-- derived from the content, so adding the same record twice keeps one.
CREATE TABLE forces (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    member       TEXT NOT NULL,
    unit_type    TEXT NOT NULL,
    zone         TEXT,
    pledged      INTEGER NOT NULL,
    committed    INTEGER NOT NULL,
    deployed     INTEGER NOT NULL,
    as_of        TEXT NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX forces_by_member ON forces (member, seq);

-- Operations: the current version of each in operations, every version (the current one too)
-- in operation_versions. A status change is a new version; nothing is overwritten. The bounding box columns let a reader
-- narrow by place without parsing documents.
CREATE TABLE operations (
    id           TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    member       TEXT NOT NULL,
    status       TEXT NOT NULL,
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL,
    west         REAL NOT NULL,
    south        REAL NOT NULL,
    east         REAL NOT NULL,
    north        REAL NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX operations_by_member ON operations (member, id);
CREATE TABLE operation_versions (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- Deconfliction notices: what one version of an operation tells one neighbour. content is the
-- minimal JSON (declaring member, area, window; the kind only if the member asked).
CREATE TABLE operation_notices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    recipient    TEXT NOT NULL,
    content      TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    UNIQUE (operation_id, version, recipient)
);
CREATE INDEX operation_notices_by_recipient ON operation_notices (recipient, seq);

-- Which incidents belong to which operation. No foreign key to incidents: a new incident
-- version deletes and re-inserts its row, so the store checks the incident exists when linking.
CREATE TABLE operation_incidents (
    operation_id TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    linked_at    TEXT NOT NULL,
    linked_by    TEXT NOT NULL,
    PRIMARY KEY (operation_id, incident_id)
);
CREATE INDEX operation_incidents_by_incident ON operation_incidents (incident_id);
