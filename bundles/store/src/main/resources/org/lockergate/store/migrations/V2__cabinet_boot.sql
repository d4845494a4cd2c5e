-- LockerGate store, version 2: the acknowledged event sequence of each cabinet boot (coap-cabinet D1/D2).
-- A cabinet may still deliver events of an earlier boot after it restarted (after a power cut these are the
-- door-closed events that complete deposits). Each boot's seq is checked against that boot's own acked_seq:
-- {"boot":b,"acked":n} means every event of boot b up to n is stored. The core keeps the rows of the last 4 boots
-- of each cabinet and deletes older ones when a cabinet attaches with a new boot.
-- Expand only: cabinet.boot and cabinet.acked_seq stay and are still written for the current boot, so the core of
-- the previous release works on this schema.

CREATE TABLE cabinet_boot (
  cabinet_id          VARCHAR(64) NOT NULL REFERENCES cabinet(cabinet_id),
  boot                BIGINT NOT NULL,
  acked_seq           BIGINT DEFAULT 0 NOT NULL,           -- every event of this boot up to here is stored
  PRIMARY KEY (cabinet_id, boot)
);

-- The first boot whose acknowledgements are all in cabinet_boot. Events of an earlier boot (one acknowledged, maybe
-- in part, before this table existed or by another gateway) continue from the first seq the cabinet still sends.
ALTER TABLE cabinet ADD COLUMN boot_history_from BIGINT;
UPDATE cabinet SET boot_history_from = boot;

INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) SELECT cabinet_id, boot, acked_seq FROM cabinet;
