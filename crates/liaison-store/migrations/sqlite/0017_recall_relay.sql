-- A recall received for an incident this node had passed on (onward release) is passed on in
-- turn: the originator's signed tombstone is kept here, as received, so it can be relayed
-- unchanged to the members this node relayed the incident to. It holds no content.
-- Keep in step with ../postgres/0017_recall_relay.sql.
ALTER TABLE received ADD COLUMN recall_object TEXT;
