package org.lockergate.transport.modbus;

import java.time.Instant;

/**
 * An endpoint's state, for diagnostics.
 *
 * @param endpoint {@code host:port}
 * @param connected whether the TCP connection is up
 * @param handles open handles sharing it
 * @param queued requests waiting
 * @param transactions transactions answered since the endpoint was opened (exception answers included)
 * @param failures requests failed by timeout, connection loss or queue limits
 * @param lastError the last failure's message, {@code null} when none
 * @param lastSuccess when a transaction was last answered, {@code null} when never
 */
public record ModbusBusStatus(String endpoint, boolean connected, int handles, int queued, long transactions,
        long failures, String lastError, Instant lastSuccess) {
}
