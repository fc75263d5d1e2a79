-- Lookups of received incidents by id alone (a pulled page asks for its ids in one query);
-- the primary key starts with the originator. Keep in step with ../sqlite/0005_received_by_id.sql.
CREATE INDEX received_by_id ON received (incident_id);
