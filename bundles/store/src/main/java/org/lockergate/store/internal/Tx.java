package org.lockergate.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.StoreTx;

/** One attempt of one transaction. A retried transaction gets a fresh {@code Tx}, so nothing leaks between attempts. */
final class Tx implements StoreTx {

    /**
     * Takes the stream's next seq in this transaction: a rollback gives it back, so seqs have no gaps, and since the
     * counter is committed with the row, they never go backwards after a crash. Write transactions run one at a
     * time (see {@link H2Store}), so the row is never contended; the transaction holds it only until its commit,
     * never during the fsync wait.
     */
    static final String NEXT_SEQ =
            "SELECT last_seq FROM FINAL TABLE (UPDATE outbox_stream SET last_seq = last_seq + 1 WHERE stream = ?)";
    static final String INSERT_OUTBOX =
            "INSERT INTO outbox(stream, seq, event_id, type, ts, data) VALUES (?, ?, ?, ?, ?, ?)";
    static final String INSERT_AUDIT =
            "INSERT INTO audit_log(ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)";

    private final Connection connection;
    private final boolean readOnly;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final Set<OutboxEvent.Stream> streams = EnumSet.noneOf(OutboxEvent.Stream.class);
    private PreparedStatement nextSeq;
    private PreparedStatement insertOutbox;
    private PreparedStatement insertAudit;

    Tx(Connection connection, boolean readOnly) {
        this.connection = connection;
        this.readOnly = readOnly;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public long outbox(OutboxEvent.Stream stream, String type, Instant ts, String dataJson) throws SQLException {
        writable("outbox");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(dataJson, "dataJson");
        if (nextSeq == null) {
            nextSeq = connection.prepareStatement(NEXT_SEQ);
            insertOutbox = connection.prepareStatement(INSERT_OUTBOX);
        }
        nextSeq.setString(1, stream.name());
        long seq;
        try (ResultSet rs = nextSeq.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("outbox stream " + stream + " has no row in outbox_stream");
            }
            seq = rs.getLong(1);
        }
        insertOutbox.setString(1, stream.name());
        insertOutbox.setLong(2, seq);
        insertOutbox.setString(3, UUID.randomUUID().toString());
        insertOutbox.setString(4, type);
        insertOutbox.setObject(5, utc(ts));
        insertOutbox.setString(6, dataJson);
        insertOutbox.executeUpdate();
        streams.add(stream);
        return seq;
    }

    @Override
    public void audit(Instant ts, String actor, String action, String target, String detail) throws SQLException {
        writable("audit");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        if (insertAudit == null) {
            insertAudit = connection.prepareStatement(INSERT_AUDIT);
        }
        insertAudit.setObject(1, utc(ts));
        insertAudit.setString(2, actor);
        insertAudit.setString(3, action);
        insertAudit.setString(4, target);
        insertAudit.setString(5, detail);
        insertAudit.executeUpdate();
    }

    @Override
    public void afterCommit(Runnable action) {
        writable("afterCommit");
        afterCommit.add(Objects.requireNonNull(action, "action"));
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    Set<OutboxEvent.Stream> outboxStreams() {
        return streams;
    }

    void closeStatements() {
        ConnectionPool.closeQuietly(nextSeq);
        ConnectionPool.closeQuietly(insertOutbox);
        ConnectionPool.closeQuietly(insertAudit);
    }

    private void writable(String what) {
        if (readOnly) {
            throw new IllegalStateException(what + " is not allowed in read(): use write()");
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
