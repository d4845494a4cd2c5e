package org.lockergate.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.lockergate.api.model.OutboxEvent;
import org.osgi.annotation.versioning.ProviderType;

/** One transaction: plain JDBC for the change itself, plus its outbox and audit rows. */
@ProviderType
public interface StoreTx {

    /** The transaction's connection (auto-commit off). Do not commit, roll back or close it. */
    Connection connection();

    /**
     * Appends an outbox row in this transaction, with the stream's next {@code seq} and a new unique
     * {@code eventId}.
     *
     * @param dataJson the JSON object for the message's {@code data}
     * @return the row's seq
     */
    long outbox(OutboxEvent.Stream stream, String type, Instant ts, String dataJson) throws SQLException;

    /** Appends an audit row in this transaction. Never pass a clear pickup code or phone number. */
    void audit(Instant ts, String actor, String action, String target, String detail) throws SQLException;

    /** Runs after the transaction is durable (e.g. post EventAdmin events, notify); never if it rolls back. */
    void afterCommit(Runnable action);
}
