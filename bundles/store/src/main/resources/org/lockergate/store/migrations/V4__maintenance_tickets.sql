-- LockerGate store, version 4: maintenance tickets and scheduled inspection/cleaning rounds (issue 9).
-- Expand only: new tables, nothing existing changes.

CREATE TABLE maintenance_ticket (
  ticket_id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  fault               VARCHAR(32) NOT NULL,                -- alarm wire name (door_jammed …) or staff's word
  alarm_id            BIGINT,                              -- the alarm that opened it; NULL when staff opened it
  group_id            VARCHAR(64) NOT NULL,
  cabinet_id          VARCHAR(64),
  compartment         VARCHAR(32),
  vendor              VARCHAR(64),                         -- the cabinet's vendor when opened (MTTR per vendor)
  description         VARCHAR(1000),
  state               VARCHAR(8) NOT NULL,                 -- OPEN TAKEN CLOSED
  occurrences         INT DEFAULT 1 NOT NULL,              -- raised again while not closed: counted here
  opened_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  opened_by           VARCHAR(100) NOT NULL,
  taken_at            TIMESTAMP WITH TIME ZONE,
  taken_by            VARCHAR(100),
  closed_at           TIMESTAMP WITH TIME ZONE,
  closed_by           VARCHAR(100),
  resolution          VARCHAR(1000),
  -- fault|group|cabinet|compartment while not closed, NULL once closed: at most one open ticket per fault and
  -- subject, enforced by the database even for concurrent raisers (NULLs are not unique-checked)
  open_key            VARCHAR(300) UNIQUE
);
CREATE INDEX ticket_state ON maintenance_ticket(state, group_id);
CREATE INDEX ticket_closed ON maintenance_ticket(closed_at);

CREATE TABLE maintenance_ticket_note (
  id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
  ticket_id           BIGINT NOT NULL REFERENCES maintenance_ticket(ticket_id),
  ts                  TIMESTAMP WITH TIME ZONE NOT NULL,
  actor               VARCHAR(100) NOT NULL,
  text                VARCHAR(2000) NOT NULL
);
CREATE INDEX ticket_note_ticket ON maintenance_ticket_note(ticket_id, id);

CREATE TABLE inspection_round (
  round_id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  schedule_id         VARCHAR(64) NOT NULL,
  group_id            VARCHAR(64) NOT NULL,
  kind                VARCHAR(16) NOT NULL,                -- INSPECTION CLEANING
  name                VARCHAR(200) NOT NULL,
  checklist           CLOB NOT NULL,                       -- JSON array of strings, as scheduled
  due_at              TIMESTAMP WITH TIME ZONE NOT NULL,
  overdue_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  completed_at        TIMESTAMP WITH TIME ZONE,
  completed_by        VARCHAR(100),
  ticked              CLOB,                                -- JSON array of the items ticked
  note                VARCHAR(2000),
  UNIQUE (schedule_id, due_at)
);
CREATE INDEX round_pending ON inspection_round(completed_at, group_id, due_at);
