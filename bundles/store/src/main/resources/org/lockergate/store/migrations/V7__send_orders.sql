-- LockerGate store, version 5: sending and returns from the locker (R20, docs/sending.md). Expands the send_order
-- table V1 reserved: the order's kind (SEND or RETURN), the reserved compartment's cabinet and size, the send code as
-- HMAC-SHA-256 hex (never in clear; the clear code is only in the notification.requested outbox row until the cloud
-- confirmed it), the hold's expiry (from the cloud's order), and the times of each step.
ALTER TABLE send_order ADD COLUMN kind VARCHAR(8) DEFAULT 'SEND' NOT NULL;
ALTER TABLE send_order ADD COLUMN cabinet_id VARCHAR(64);
ALTER TABLE send_order ADD COLUMN size_class CHAR(1);
ALTER TABLE send_order ADD COLUMN waybill VARCHAR(100);
ALTER TABLE send_order ADD COLUMN code_hmac VARCHAR(64);
ALTER TABLE send_order ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE send_order ADD COLUMN dropped_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE send_order ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE send_order ADD COLUMN collected_by VARCHAR(64);
ALTER TABLE send_order ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX send_order_group_state ON send_order(group_id, state);
CREATE INDEX send_order_code ON send_order(group_id, code_hmac);
CREATE INDEX send_order_company_state ON send_order(company_code, state);
