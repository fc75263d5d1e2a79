-- Patrol sectors (liaison_ops::sectors) and where each member's forces may go. A sector is kept
-- as its JSON document (area, countries it touches, community contacts); a member's constraint as
-- JSON ({"sectors": [...]} or {"countries": [...]}). Giving either again with a change makes its
-- next version; the current one is in the first table, every version (the current one too) in
-- the *_versions table: nothing is overwritten.
-- Keep in step with ../postgres/0013_sectors.sql.
CREATE TABLE sectors (
    id           TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE TABLE sector_versions (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE member_constraints (
    member       TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE TABLE member_constraint_versions (
    member       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    doc          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (member, version)
);
