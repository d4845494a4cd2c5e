package org.lockergate.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.osgi.annotation.versioning.ProviderType;

/** The durable store. Thread-safe; every method may be called concurrently. */
@ProviderType
public interface LockerStore {

    /**
     * Runs the work in one transaction, commits it, and returns only after the commit is forced to disk (fsync,
     * shared with concurrent writers: group commit). A {@link LockerException} from the work rolls back and is
     * rethrown as is.
     *
     * @param purpose a few words for logs and metrics, e.g. {@code "deposit.reserve"}
     * @throws StoreException when the database cannot commit or sync (the change is then not acknowledged)
     */
    <T> T write(String purpose, StoreWork<T> work) throws StoreException, LockerException;

    /** Runs read-only work (no fsync). */
    <T> T read(StoreWork<T> work) throws StoreException, LockerException;

    /** Room left on the data folder's disk, and whether new deposits are allowed. */
    StorageStatus storage();

    /**
     * Outbox rows not yet confirmed, of one stream, in seq order. Returns only rows that are on disk: when rows are
     * found it first waits for one shared sync (rows whose commit is still waiting for its fsync are covered).
     */
    List<OutboxEvent> pending(OutboxEvent.Stream stream, int limit) throws StoreException;

    /**
     * Like {@link #pending}, but only rows with {@code seq > afterSeq}: unconfirmed rows after {@code afterSeq}, in
     * seq order, at most {@code limit}, after the same durability barrier. A sender that keeps its own position (rows
     * sent but not confirmed yet) reads on from there instead of re-reading from the oldest unconfirmed row.
     *
     * <p>The default implementation filters {@link #pending}; the store answers it with one indexed range.
     *
     * @since 1.1
     */
    default List<OutboxEvent> pendingAfter(OutboxEvent.Stream stream, long afterSeq, int limit)
            throws StoreException {
        if (limit <= 0) {
            return List.of();
        }
        List<OutboxEvent> out = new ArrayList<>();
        for (OutboxEvent row : pending(stream, Integer.MAX_VALUE)) {
            if (row.seq() > afterSeq) {
                out.add(row);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * How many rows of the stream are not yet confirmed (including rows whose fsync is still running). The default
     * implementation counts {@link #pending}; the store answers it without reading the rows.
     *
     * @since 1.1
     */
    default long pendingCount(OutboxEvent.Stream stream) throws StoreException {
        return pending(stream, Integer.MAX_VALUE).size();
    }

    /**
     * Marks rows up to {@code seq} confirmed by the cloud (PUBACK) and erases the clear pickup code from
     * confirmed {@code notification.requested} rows (R8). Confirmation is a per-stream watermark: it never goes
     * backwards (a lower {@code seq} than already confirmed changes nothing) and never passes the last written row.
     */
    void confirm(OutboxEvent.Stream stream, long seq) throws StoreException;

    /** Writes a consistent online backup (a zip) of the database; returns the file written. */
    Path backup(Path target) throws StoreException;

    /**
     * Deletes what retention allows (R17): terminal parcels, cleared and acknowledged alarms, audit rows and
     * confirmed outbox rows older than {@code businessBefore}. Returns how many rows went.
     */
    long purge(Instant businessBefore) throws StoreException;
}
