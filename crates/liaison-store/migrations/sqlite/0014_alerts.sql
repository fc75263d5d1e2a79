-- Watch rules, the alerts they raise, flash pushes to partners and partners' responses.
-- Keep in step with ../postgres/0014_alerts.sql.
--
-- A rule applies to incident rows stored after it (`from_seq`): a new rule does not raise
-- alerts over the whole history. A scan places rows above `node_settings.watch_scan_seq`.

-- A member's watch rule, the current version (JSON of `liaison_ops::WatchRule`); replaced
-- versions in `watch_rule_versions`. `active` = 0 once retired (the rule is kept: alerts name it).
CREATE TABLE watch_rules (
    id          TEXT PRIMARY KEY,
    member      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    flash       INTEGER NOT NULL,
    active      INTEGER NOT NULL,
    from_seq    INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE TABLE watch_rule_versions (
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    active      INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- Every incident a rule matched (once per incident, whatever its later versions), with the
-- incident's first day, for thresholds ("3 in 7 days").
CREATE TABLE watch_hits (
    rule_id     TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (rule_id, incident_id)
);
CREATE INDEX watch_hits_by_day ON watch_hits (rule_id, day);

-- An alert: raised by one of this node's rules (`kind` 'rule'), or a partner's flash item
-- received in our inbox (`kind` 'flash', `from_member` the partner). Tracked from raised to
-- acknowledged to action taken to closed; each step keeps its time, who, and a note.
-- `flash` = 1: one of our own incidents to push to partners ahead of any backlog; `pushed_at` is
-- set once the push was attempted (per-peer outcomes in `alert_deliveries`).
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    rule_id          TEXT,
    from_member      TEXT,
    incident_id      TEXT NOT NULL,
    incident_version INTEGER NOT NULL,
    originator       TEXT NOT NULL,
    flash            INTEGER NOT NULL,
    reasons          TEXT NOT NULL,
    state            TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    action_at        TEXT,
    action_by        TEXT,
    action_note      TEXT,
    closed_at        TEXT,
    closed_by        TEXT,
    closed_note      TEXT,
    pushed_at        TEXT
);
CREATE INDEX alerts_by_state ON alerts (state, id);
CREATE INDEX alerts_by_incident ON alerts (incident_id);
CREATE UNIQUE INDEX alerts_flash_once ON alerts (from_member, incident_id) WHERE kind = 'flash';

-- Further incidents attached to an open threshold alert ("and 2 more since").
CREATE TABLE alert_incidents (
    alert_id    INTEGER NOT NULL,
    incident_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (alert_id, incident_id)
);

-- Each flash push of an alert's incident to a peer: when, and the error if it failed (the peer
-- then gets the incident at its next pull).
CREATE TABLE alert_deliveries (
    alert_id INTEGER NOT NULL,
    peer     TEXT NOT NULL,
    at       TEXT NOT NULL,
    error    TEXT,
    PRIMARY KEY (alert_id, peer)
);

-- Responses to flash alerts, keyed by the flashed incident: on the originator, those partners
-- returned (signed notes, `object`); on a recipient, its own steps, signed and delivered by the
-- next sync (`object` and `delivered_at` empty until then).
CREATE TABLE alert_responses (
    originator   TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    by_member    TEXT NOT NULL,
    state        TEXT NOT NULL,
    at           TEXT NOT NULL,
    object       TEXT,
    recorded_at  TEXT NOT NULL,
    delivered_at TEXT,
    PRIMARY KEY (originator, incident_id, by_member, state)
);
