-- LockerGate store, version 1: the locker core's tables (DESIGN.md §2-§3).
-- Times are TIMESTAMP WITH TIME ZONE (UTC instants). Money is BIGINT fen. Clear pickup codes and phone numbers
-- are never stored: codes as HMAC-SHA-256 (hex), phones AES-GCM encrypted (base64) plus a masked copy.

CREATE TABLE cabinet_group (
  group_id            VARCHAR(64) PRIMARY KEY,
  name                VARCHAR(200) NOT NULL,
  community           VARCHAR(200),
  address             VARCHAR(400),
  latitude            DOUBLE PRECISION,
  longitude           DOUBLE PRECISION,
  postal_filing_no    VARCHAR(100),
  property_contact    VARCHAR(100),
  emergency_contact   VARCHAR(100),
  paused              BOOLEAN DEFAULT FALSE NOT NULL,      -- maintenance: new deposits answer "paused"
  camera_ok           BOOLEAN DEFAULT TRUE NOT NULL,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE cabinet (
  cabinet_id          VARCHAR(64) PRIMARY KEY,
  group_id            VARCHAR(64) NOT NULL REFERENCES cabinet_group(group_id),
  vendor              VARCHAR(64) NOT NULL,
  model               VARCHAR(100),
  firmware            VARCHAR(100),
  boot                BIGINT DEFAULT 0 NOT NULL,
  acked_seq           BIGINT DEFAULT 0 NOT NULL,           -- highest event seq stored for this boot
  online              BOOLEAN DEFAULT FALSE NOT NULL,
  last_seen           TIMESTAMP WITH TIME ZONE,
  registered_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE compartment (
  group_id            VARCHAR(64) NOT NULL REFERENCES cabinet_group(group_id),
  label               VARCHAR(32) NOT NULL,                -- door label, unique in the group
  cabinet_id          VARCHAR(64) NOT NULL REFERENCES cabinet(cabinet_id),
  size_class          CHAR(1) NOT NULL,                    -- S, M, L
  board               INT NOT NULL,
  channel             INT NOT NULL,
  state               VARCHAR(16) NOT NULL,                -- FREE RESERVED OPENING OCCUPIED FAULT DISABLED
  door_closed         BOOLEAN DEFAULT TRUE NOT NULL,
  item_present        BOOLEAN DEFAULT FALSE NOT NULL,
  occupied_since      TIMESTAMP WITH TIME ZONE,
  parcel_id           VARCHAR(64),
  door_opened_at      TIMESTAMP WITH TIME ZONE,            -- for door_left_open
  uses                BIGINT DEFAULT 0 NOT NULL,           -- wear counter for spreading use
  version             BIGINT DEFAULT 0 NOT NULL,           -- optimistic lock: concurrent deposits never share one
  PRIMARY KEY (group_id, label)
);
CREATE INDEX compartment_cabinet ON compartment(cabinet_id);
CREATE INDEX compartment_state ON compartment(group_id, state, size_class);

CREATE TABLE courier_company (
  code                VARCHAR(32) PRIMARY KEY,
  name                VARCHAR(100) NOT NULL,
  funding_share_pct   INT DEFAULT 0 NOT NULL
);

CREATE TABLE courier (
  courier_id          VARCHAR(64) PRIMARY KEY,
  company_code        VARCHAR(32) NOT NULL,
  name                VARCHAR(100),
  pin_hash            VARCHAR(200) NOT NULL,               -- Argon2id PHC string
  active              BOOLEAN DEFAULT TRUE NOT NULL,
  synced_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE parcel (
  parcel_id           VARCHAR(64) PRIMARY KEY,
  group_id            VARCHAR(64) NOT NULL,
  cabinet_id          VARCHAR(64) NOT NULL,
  compartment         VARCHAR(32) NOT NULL,
  size_class          CHAR(1) NOT NULL,
  waybill             VARCHAR(100) NOT NULL,
  company_code        VARCHAR(32) NOT NULL,
  courier_id          VARCHAR(64) NOT NULL,
  phone_enc           VARCHAR(200),                        -- AES-GCM, base64(iv || ciphertext)
  phone_masked        VARCHAR(32),
  code_hmac           VARCHAR(64),                         -- HMAC-SHA-256 hex of the pickup code; NULL before deposit
  state               VARCHAR(16) NOT NULL,
  consent_channel     VARCHAR(32),
  consent_ref         VARCHAR(100),
  consent_at          TIMESTAMP WITH TIME ZONE,
  fee_terms_accepted  BOOLEAN DEFAULT FALSE NOT NULL,
  declared            VARCHAR(200),                        -- the courier's declaration, as text
  reserved_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  deposited_at        TIMESTAMP WITH TIME ZONE,
  closed_at           TIMESTAMP WITH TIME ZONE,
  fee_fen             BIGINT DEFAULT 0 NOT NULL,
  fee_owed            BOOLEAN DEFAULT FALSE NOT NULL,
  wrong_codes         INT DEFAULT 0 NOT NULL,              -- R9 parcel ladder within 24 h
  locked_until        TIMESTAMP WITH TIME ZONE,
  version             BIGINT DEFAULT 0 NOT NULL
);
CREATE INDEX parcel_group_state ON parcel(group_id, state);
CREATE INDEX parcel_code ON parcel(group_id, code_hmac);
CREATE INDEX parcel_compartment ON parcel(group_id, compartment, state);

-- Send orders (R20), reserved from the start.
CREATE TABLE send_order (
  order_id            VARCHAR(64) PRIMARY KEY,
  group_id            VARCHAR(64) NOT NULL,
  compartment         VARCHAR(32),
  company_code        VARCHAR(32),
  state               VARCHAR(16) NOT NULL,                -- ORDERED DROPPED COLLECTED CANCELLED
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE alarm (
  alarm_id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  type                VARCHAR(32) NOT NULL,                -- wire name, e.g. door_left_open
  group_id            VARCHAR(64),
  cabinet_id          VARCHAR(64),
  compartment         VARCHAR(32),
  message             VARCHAR(1000),
  raised_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  cleared_at          TIMESTAMP WITH TIME ZONE,
  acknowledged_at     TIMESTAMP WITH TIME ZONE,
  acknowledged_by     VARCHAR(100)
);
CREATE INDEX alarm_open ON alarm(cleared_at, acknowledged_at);

-- Append-only audit log (R17).
CREATE TABLE audit_log (
  id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
  ts                  TIMESTAMP WITH TIME ZONE NOT NULL,
  actor               VARCHAR(100) NOT NULL,
  action              VARCHAR(64) NOT NULL,
  target              VARCHAR(200),
  detail              VARCHAR(2000)
);
CREATE INDEX audit_ts ON audit_log(ts);

-- Transactional outbox: written in the same transaction as the change it reports. One seq per stream.
CREATE TABLE outbox (
  stream              VARCHAR(16) NOT NULL,                -- ALARMS EVENTS TELEMETRY
  seq                 BIGINT NOT NULL,
  event_id            VARCHAR(64) NOT NULL UNIQUE,
  type                VARCHAR(64) NOT NULL,
  ts                  TIMESTAMP WITH TIME ZONE NOT NULL,
  data                CLOB NOT NULL,                       -- JSON object
  confirmed_at        TIMESTAMP WITH TIME ZONE,            -- PUBACK received (upstream issue)
  PRIMARY KEY (stream, seq)
);
CREATE INDEX outbox_pending ON outbox(confirmed_at, stream, seq);

CREATE TABLE outbox_stream (
  stream              VARCHAR(16) PRIMARY KEY,
  last_seq            BIGINT NOT NULL
);
INSERT INTO outbox_stream(stream, last_seq) VALUES ('ALARMS', 0), ('EVENTS', 0), ('TELEMETRY', 0);
