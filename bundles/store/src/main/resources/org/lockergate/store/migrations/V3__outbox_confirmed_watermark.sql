-- LockerGate store, version 3: a per-stream confirmed watermark instead of a confirmed_at update per outbox row.
-- Rows with seq <= outbox_stream.confirmed_seq are confirmed (PUBACKed or thinned); "pending" is seq > confirmed_seq.
-- confirm(stream, seq) is one UPDATE of the watermark (it never goes backwards) plus the R8 code erasure in the newly
-- confirmed notification.requested rows. outbox.confirmed_at stays (expand only) and is stamped lazily by the
-- retention purge for rows below the watermark: informational, no longer what decides pending.
ALTER TABLE outbox_stream ADD COLUMN confirmed_seq BIGINT DEFAULT 0 NOT NULL;

-- Confirmed rows always formed a prefix of each stream (confirm marked every row <= seq), so the watermark is the row
-- before the oldest unconfirmed one, or last_seq when every row is confirmed (or purged).
UPDATE outbox_stream s SET confirmed_seq = COALESCE(
    (SELECT MIN(o.seq) - 1 FROM outbox o WHERE o.stream = s.stream AND o.confirmed_at IS NULL), s.last_seq);

-- The (confirmed_at, stream, seq) index served the per-row pending query; every outbox insert paid for it. Pending is
-- now a primary-key range (stream, seq > confirmed_seq).
DROP INDEX outbox_pending;
