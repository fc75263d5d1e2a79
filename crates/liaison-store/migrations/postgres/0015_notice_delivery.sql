-- Deconfliction notices leave through the egress policy: each notice keeps the signed object
-- that went and when it was delivered (empty until the sync delivers it; a recipient no
-- agreement in force names keeps waiting). Notices received from neighbours are kept as signed,
-- the newest version of each operation, and recorded as operations of their declaring member.
-- Keep in step with ../sqlite/0015_notice_delivery.sql.
ALTER TABLE operation_notices ADD COLUMN object TEXT;
ALTER TABLE operation_notices ADD COLUMN delivered_at TEXT;

CREATE TABLE received_notices (
    declared_by  TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    version      BIGINT NOT NULL,
    object       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (declared_by, operation_id)
);
