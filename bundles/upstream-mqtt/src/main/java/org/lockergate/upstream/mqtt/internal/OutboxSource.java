package org.lockergate.upstream.mqtt.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads unconfirmed outbox rows after a seq. {@link LockerStore#pending} always starts at the oldest unconfirmed row,
 * so while confirms lag behind PUBACKs every page would re-read the rows already sent (measured: the drain fell to
 * ≈ 1,500 rows/s on a 100,000-row backlog). Until the store offers {@code pending(stream, afterSeq, limit)}, this
 * reads {@code seq > afterSeq} with one indexed query through {@link LockerStore#read}, then calls
 * {@code pending(stream, 1)} for its durability barrier (rows whose commit is not yet fsynced are never sent). A
 * store without JDBC (test fakes) falls back to {@code pending} and filtering.
 */
final class OutboxSource {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSource.class);
    /**
     * On the primary key (stream, seq): a seek to afterSeq. With {@code confirmed_at IS NULL} in the WHERE clause H2
     * picks the (confirmed_at, stream, seq) index and scans every pending row up to afterSeq on each page —
     * quadratic on a backlog — so confirmed rows (only telemetry thinned ahead) are skipped here instead.
     */
    private static final String AFTER = "SELECT seq, event_id, type, ts, data, confirmed_at IS NULL FROM outbox"
            + " WHERE stream = ? AND seq > ? ORDER BY stream, seq FETCH FIRST ? ROWS ONLY";

    private final LockerStore store;
    private volatile boolean sql = true;

    OutboxSource(LockerStore store) {
        this.store = store;
    }

    /**
     * @param alreadySentHint how many unconfirmed rows at the head are known to be sent (for the fallback)
     */
    List<OutboxEvent> after(Stream stream, long afterSeq, int limit, long alreadySentHint) throws StoreException {
        if (sql) {
            try {
                // The oldest unconfirmed row: where a new connection or a restart starts (rows before it are
                // confirmed; seeking past them keeps a page from being all confirmed rows).
                List<OutboxEvent> head = store.pending(stream, 1);
                if (head.isEmpty()) {
                    return List.of();
                }
                long from = Math.max(afterSeq, head.get(0).seq() - 1);
                List<OutboxEvent> rows = new ArrayList<>();
                while (rows.isEmpty()) {
                    long[] lastScanned = {from};
                    int[] scanned = {0};
                    long start = from;
                    store.read(tx -> {
                        try (PreparedStatement ps = tx.connection().prepareStatement(AFTER)) {
                            ps.setString(1, stream.name());
                            ps.setLong(2, start);
                            ps.setInt(3, limit);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    scanned[0]++;
                                    lastScanned[0] = rs.getLong(1);
                                    if (!rs.getBoolean(6)) {
                                        continue; // confirmed ahead (thinned telemetry)
                                    }
                                    rows.add(new OutboxEvent(rs.getLong(1), stream, rs.getString(2), rs.getString(3),
                                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5)));
                                }
                            }
                        }
                        return null;
                    });
                    if (scanned[0] < limit) {
                        break; // the end of the stream
                    }
                    from = lastScanned[0];
                }
                if (!rows.isEmpty()) {
                    store.pending(stream, 1); // the store's durability barrier covers the rows just read
                }
                return rows;
            } catch (UnsupportedOperationException e) {
                LOG.debug("store without JDBC: reading the outbox through pending()");
                sql = false;
            } catch (org.lockergate.api.locker.LockerException e) {
                throw new StoreException(e.getMessage(), e);
            }
        }
        int fetch = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(0, alreadySentHint) + limit);
        List<OutboxEvent> out = new ArrayList<>();
        for (OutboxEvent row : store.pending(stream, fetch)) {
            if (row.seq() > afterSeq && out.size() < limit) {
                out.add(row);
            }
        }
        return out;
    }
}
