package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StorageStatus;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;
import org.lockergate.store.StoreWork;

/** An in-memory outbox and audit with the store's pending/confirm contract. */
final class MemStore implements LockerStore {

    record Audit(Instant ts, String actor, String action, String target, String detail) {
    }

    private final Map<Stream, TreeMap<Long, OutboxEvent>> pending = new EnumMap<>(Stream.class);
    private final Map<Stream, Long> lastSeq = new EnumMap<>(Stream.class);
    final List<Audit> audit = new CopyOnWriteArrayList<>();
    final List<String> confirms = new CopyOnWriteArrayList<>();

    MemStore() {
        for (Stream s : Stream.values()) {
            pending.put(s, new TreeMap<>());
            lastSeq.put(s, 0L);
        }
    }

    synchronized long add(Stream stream, String type, Instant ts, String data) {
        long seq = lastSeq.merge(stream, 1L, Long::sum);
        pending.get(stream).put(seq, new OutboxEvent(seq, stream, UUID.randomUUID().toString(), type, ts, data));
        return seq;
    }

    synchronized long depth(Stream stream) {
        return pending.get(stream).size();
    }

    DepthProbe probe() {
        return () -> {
            Map<Stream, Long> out = new EnumMap<>(Stream.class);
            for (Stream s : Stream.values()) {
                out.put(s, depth(s));
            }
            return out;
        };
    }

    @Override
    public <T> T write(String purpose, StoreWork<T> work) throws StoreException, LockerException {
        List<Runnable> after = new ArrayList<>();
        T result;
        try {
            result = work.run(new StoreTx() {
                @Override
                public Connection connection() {
                    throw new UnsupportedOperationException("no JDBC in the in-memory store");
                }

                @Override
                public long outbox(Stream stream, String type, Instant ts, String dataJson) {
                    return add(stream, type, ts, dataJson);
                }

                @Override
                public void audit(Instant ts, String actor, String action, String target, String detail) {
                    audit.add(new Audit(ts, actor, action, target, detail));
                }

                @Override
                public void afterCommit(Runnable action) {
                    after.add(action);
                }
            });
        } catch (java.sql.SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
        after.forEach(Runnable::run);
        return result;
    }

    @Override
    public <T> T read(StoreWork<T> work) throws StoreException, LockerException {
        return write("read", work);
    }

    @Override
    public StorageStatus storage() {
        return new StorageStatus(10_000_000_000L, 256L << 20, 1L << 20);
    }

    @Override
    public synchronized List<OutboxEvent> pending(Stream stream, int limit) {
        List<OutboxEvent> out = new ArrayList<>(Math.min(limit, 10_000));
        for (OutboxEvent e : pending.get(stream).values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized List<OutboxEvent> pendingAfter(Stream stream, long afterSeq, int limit) {
        List<OutboxEvent> out = new ArrayList<>(Math.max(0, Math.min(limit, 10_000)));
        for (OutboxEvent e : pending.get(stream).tailMap(afterSeq, false).values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized long pendingCount(Stream stream) {
        return pending.get(stream).size();
    }

    @Override
    public synchronized void confirm(Stream stream, long seq) {
        confirms.add(stream + ":" + seq);
        pending.get(stream).headMap(seq, true).clear();
    }

    @Override
    public Path backup(Path target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long purge(Instant businessBefore) {
        return 0;
    }
}
