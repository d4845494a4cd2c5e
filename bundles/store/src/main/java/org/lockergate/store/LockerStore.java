package org.lockergate.store;

import java.nio.file.Path;
import java.time.Instant;
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

    /** Outbox rows not yet confirmed, of one stream, in seq order. */
    List<OutboxEvent> pending(OutboxEvent.Stream stream, int limit) throws StoreException;

    /**
     * Marks rows up to {@code seq} confirmed by the cloud (PUBACK) and erases the clear pickup code from
     * confirmed {@code notification.requested} rows (R8).
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
