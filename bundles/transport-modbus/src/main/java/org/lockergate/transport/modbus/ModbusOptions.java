package org.lockergate.transport.modbus;

import java.time.Duration;
import java.util.Objects;

/**
 * How requests of one {@link ModbusBus} handle are executed. The connection-level values ({@code connectTimeout},
 * {@code backoffMin}, {@code backoffMax}, {@code unitFailures}) come from the handle that opened the endpoint first.
 *
 * @param timeout how long one transaction waits for its answer
 * @param retries further attempts of a read after a timeout or a broken connection (writes are never retried)
 * @param maxQueueWait how long a request may wait in the endpoint's queue before it fails with a timeout
 * @param queueLimit most requests waiting on the endpoint; more fail at once with {@code QUEUE_FULL}
 * @param connectTimeout how long a TCP connect may take
 * @param backoffMin first wait before reconnecting after a failed connect (doubles up to {@code backoffMax});
 *     requests in the meantime fail at once with {@code UNREACHABLE}
 * @param backoffMax longest wait between reconnects
 * @param unitFailures consecutive timeouts after which a unit (board) is isolated: its requests fail at once with
 *     {@code UNREACHABLE}, except one probe per backoff interval, so a dead board does not eat the bus's time
 */
public record ModbusOptions(Duration timeout, int retries, Duration maxQueueWait, int queueLimit,
        Duration connectTimeout, Duration backoffMin, Duration backoffMax, int unitFailures) {

    /** 500 ms answers, 1 retry, 2 s queue wait, 64 queued, 2 s connect, backoff 250 ms–10 s, isolate after 2. */
    public static final ModbusOptions DEFAULTS = new ModbusOptions(Duration.ofMillis(500), 1, Duration.ofSeconds(2),
            64, Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10), 2);

    public ModbusOptions {
        positive(timeout, "timeout");
        positive(maxQueueWait, "maxQueueWait");
        positive(connectTimeout, "connectTimeout");
        positive(backoffMin, "backoffMin");
        positive(backoffMax, "backoffMax");
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries must be 0-10: " + retries);
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be at least 1: " + queueLimit);
        }
        if (unitFailures < 1) {
            throw new IllegalArgumentException("unitFailures must be at least 1: " + unitFailures);
        }
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax must not be shorter than backoffMin");
        }
    }

    public ModbusOptions withTimeout(Duration value) {
        return new ModbusOptions(value, retries, maxQueueWait, queueLimit, connectTimeout, backoffMin, backoffMax,
                unitFailures);
    }

    public ModbusOptions withRetries(int value) {
        return new ModbusOptions(timeout, value, maxQueueWait, queueLimit, connectTimeout, backoffMin, backoffMax,
                unitFailures);
    }

    public ModbusOptions withQueue(Duration wait, int limit) {
        return new ModbusOptions(timeout, retries, wait, limit, connectTimeout, backoffMin, backoffMax, unitFailures);
    }

    public ModbusOptions withBackoff(Duration min, Duration max) {
        return new ModbusOptions(timeout, retries, maxQueueWait, queueLimit, connectTimeout, min, max, unitFailures);
    }

    public ModbusOptions withUnitFailures(int value) {
        return new ModbusOptions(timeout, retries, maxQueueWait, queueLimit, connectTimeout, backoffMin, backoffMax,
                value);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
