-- Characterisations: each member's own reading of an incident (terrorism, banditry, …) with a
-- confidence and a rationale, kept side by side and never folded into the incident. Nothing is
-- overwritten: a member's new reading is its next version, and its current reading is its
-- latest version. No foreign key to incidents: a new incident version deletes and re-inserts its
-- row, so the store checks the incident exists when a reading is written.
-- Keep in step with ../postgres/0008_characterisations.sql.
CREATE TABLE characterisations (
    incident_id    TEXT NOT NULL,
    member         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    category       TEXT NOT NULL,
    confidence     TEXT NOT NULL,
    rationale      TEXT NOT NULL,
    national_term  TEXT,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    PRIMARY KEY (incident_id, member, version)
);
-- "As characterised by X": a member's readings by incident, for filters and statistics.
CREATE INDEX characterisations_by_member ON characterisations (member, incident_id, version);
