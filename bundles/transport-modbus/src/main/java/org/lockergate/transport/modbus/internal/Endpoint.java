package org.lockergate.transport.modbus.internal;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.lockergate.transport.modbus.ModbusBusStatus;
import org.lockergate.transport.modbus.ModbusException;
import org.lockergate.transport.modbus.ModbusException.Reason;
import org.lockergate.transport.modbus.ModbusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus TCP endpoint (a bus): one connection, one worker thread, one transaction in flight, a bounded queue.
 * Endpoints share nothing, so a dead or slow endpoint never delays another. Within the bus, a unit that times out
 * {@link ModbusOptions#unitFailures()} times in a row is isolated (its requests fail at once, one probe per backoff
 * interval), so a dead board does not take the bus's time from the boards beside it.
 */
final class Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    private final String host;
    private final int port;
    private final String name;
    private final ModbusOptions connection;
    private final LongSupplier nanos;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Map<Integer, UnitHealth> units = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;
    private volatile J2modLink link;
    private volatile String lastError;
    private volatile Instant lastSuccess;
    private long nextConnectNanos;
    private Duration connectBackoff;
    private int handles;

    /** Per-unit timeout streak and isolation; touched by the worker only (read by status). */
    private static final class UnitHealth {
        int timeouts;
        long probeAtNanos;
        Duration backoff;
    }

    Endpoint(String host, int port, ModbusOptions connection, LongSupplier nanos) {
        this.host = host;
        this.port = port;
        this.name = host + ":" + port;
        this.connection = connection;
        this.nanos = nanos;
        this.worker = new Thread(this::work, "LockerGate-modbus-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    String name() {
        return name;
    }

    synchronized int retain() {
        return ++handles;
    }

    synchronized int release() {
        return --handles;
    }

    /** Queues a request or fails it at once (closed, queue full). */
    void submit(Request request) {
        if (closed) {
            fail(request, new ModbusException(Reason.CLOSED, "Modbus 端点 " + name + " 已关闭 / Modbus endpoint " + name
                    + " is closed: " + request.op().describe() + " not sent"));
            return;
        }
        if (queue.size() >= request.options().queueLimit()) {
            fail(request, new ModbusException(Reason.QUEUE_FULL, "Modbus 端点 " + name + " 排队已满（" + queue.size()
                    + "）/ Modbus endpoint " + name + " has " + queue.size() + " requests waiting: "
                    + describe(request) + " refused"));
            return;
        }
        queue.add(request);
        if (closed && queue.remove(request)) {
            fail(request, new ModbusException(Reason.CLOSED, "Modbus endpoint " + name + " is closed"));
        }
    }

    /** Fails the queued requests of one handle (the handle is being closed). */
    void cancel(Object handle) {
        for (Iterator<Request> it = queue.iterator(); it.hasNext();) {
            Request request = it.next();
            if (request.handle() == handle) {
                it.remove();
                fail(request, new ModbusException(Reason.CLOSED, "Modbus 连接句柄已关闭 / Modbus handle on " + name
                        + " closed: " + describe(request) + " not sent"));
            }
        }
    }

    /** Stops the worker, fails what is queued, closes the connection. */
    void close() {
        closed = true;
        worker.interrupt();
        drain();
    }

    ModbusBusStatus status() {
        int count;
        synchronized (this) {
            count = handles;
        }
        return new ModbusBusStatus(name, link != null, count, queue.size(), transactions.get(), failures.get(),
                lastError, lastSuccess);
    }

    private void work() {
        try {
            while (!closed) {
                Request request;
                try {
                    request = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (request != null) {
                    run(request);
                }
            }
        } finally {
            drain();
            J2modLink current = link;
            link = null;
            if (current != null) {
                current.close();
            }
        }
    }

    private void drain() {
        Request request;
        while ((request = queue.poll()) != null) {
            fail(request, new ModbusException(Reason.CLOSED, "Modbus 端点 " + name + " 已关闭 / Modbus endpoint " + name
                    + " closed: " + describe(request) + " not sent"));
        }
    }

    private void run(Request request) {
        if (request.future().isDone()) {
            return;
        }
        ModbusOptions options = request.options();
        long now = nanos.getAsLong();
        long waited = now - request.enqueuedNanos();
        if (waited > options.maxQueueWait().toNanos()) {
            fail(request, new ModbusException(Reason.TIMEOUT, "Modbus 请求在 " + name + " 排队超过 "
                    + options.maxQueueWait().toMillis() + " ms / " + describe(request) + " waited "
                    + TimeUnit.NANOSECONDS.toMillis(waited) + " ms in the queue of " + name + " (limit "
                    + options.maxQueueWait().toMillis() + " ms)"));
            return;
        }
        UnitHealth health = units.get(request.unit());
        if (health != null && health.probeAtNanos != 0 && now - health.probeAtNanos < 0) {
            fail(request, new ModbusException(Reason.UNREACHABLE, "从站 " + request.unit() + "（" + name + "）连续 "
                    + health.timeouts + " 次无应答，已隔离 / unit " + request.unit() + " on " + name + " is isolated after "
                    + health.timeouts + " timeouts in a row (next probe in "
                    + TimeUnit.NANOSECONDS.toMillis(health.probeAtNanos - now) + " ms): " + describe(request)
                    + " not sent"));
            return;
        }
        int attempts = request.op().write() ? 1 : 1 + options.retries();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            J2modLink current = connect(request);
            if (current == null) {
                return;
            }
            current.timeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()));
            try {
                Object result = request.op().execute(current, request.unit());
                answered(request.unit());
                request.future().complete(result);
                return;
            } catch (ModbusSlaveException e) {
                answered(request.unit());
                int code = e.getType();
                fail(request, new ModbusException(Reason.EXCEPTION, code, "从站 " + request.unit() + "（" + name
                        + "）返回异常 " + ModbusException.describe(code) + " / unit " + request.unit() + " on " + name
                        + " answered " + describe(request) + " with exception " + ModbusException.describe(code), e));
                return;
            } catch (Exception e) {
                boolean timeout = isTimeout(e);
                dropLink();
                if (timeout) {
                    boolean isolated = timedOut(request.unit(), options);
                    if (attempt < attempts && !isolated) {
                        continue;
                    }
                    fail(request, new ModbusException(Reason.TIMEOUT, 0, "从站 " + request.unit() + "（" + name + "）在 "
                            + options.timeout().toMillis() + " ms 内未应答 / unit " + request.unit() + " on " + name
                            + " did not answer " + describe(request) + " within " + options.timeout().toMillis()
                            + " ms (" + attempt + (attempt == 1 ? " attempt" : " attempts") + ")", e));
                    return;
                }
                if (attempt < attempts) {
                    continue;
                }
                fail(request, new ModbusException(Reason.IO, 0, "与 " + name + " 的连接中断 / connection to " + name
                        + " broke during " + describe(request) + ": " + e.getMessage(), e));
                return;
            }
        }
    }

    /** The live connection, made now if allowed; null (and the request failed) while backing off or on failure. */
    private J2modLink connect(Request request) {
        J2modLink current = link;
        if (current != null && current.connected()) {
            return current;
        }
        dropLink();
        long now = nanos.getAsLong();
        if (connectBackoff != null && now - nextConnectNanos < 0) {
            fail(request, new ModbusException(Reason.UNREACHABLE, "无法连接 " + name + "，" + TimeUnit.NANOSECONDS
                    .toMillis(nextConnectNanos - now) + " ms 后重试 / Modbus endpoint " + name + " unreachable, next"
                    + " connect in " + TimeUnit.NANOSECONDS.toMillis(nextConnectNanos - now) + " ms (" + lastError
                    + "): " + describe(request) + " not sent"));
            return null;
        }
        try {
            current = J2modLink.connect(host, port, (int) connection.connectTimeout().toMillis());
            link = current;
            if (connectBackoff != null) {
                LOG.info("Modbus 端点 {} 已重新连接 / Modbus endpoint {} connected again", name, name);
            }
            connectBackoff = null;
            return current;
        } catch (Exception e) {
            connectBackoff = connectBackoff == null ? connection.backoffMin()
                    : min(connectBackoff.multipliedBy(2), connection.backoffMax());
            nextConnectNanos = now + connectBackoff.toNanos();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("无法连接 Modbus 端点 {}（{}），{} ms 后重试 / Cannot connect to Modbus endpoint {} ({}), retrying in"
                    + " {} ms", name, why, connectBackoff.toMillis(), name, why, connectBackoff.toMillis());
            fail(request, new ModbusException(Reason.UNREACHABLE, 0, "无法连接 " + name + " / cannot connect to Modbus"
                    + " endpoint " + name + ": " + why + " (" + describe(request) + " not sent; next connect in "
                    + connectBackoff.toMillis() + " ms)", e));
            return null;
        }
    }

    private void dropLink() {
        J2modLink current = link;
        link = null;
        if (current != null) {
            current.close();
        }
    }

    private void answered(int unit) {
        transactions.incrementAndGet();
        lastSuccess = Instant.now();
        UnitHealth health = units.remove(unit);
        if (health != null && health.probeAtNanos != 0) {
            LOG.info("从站 {}（{}）恢复应答 / Unit {} on {} answers again", unit, name, unit, name);
        }
    }

    /** Counts a timeout of a unit; returns whether the unit is now isolated. */
    private boolean timedOut(int unit, ModbusOptions options) {
        UnitHealth health = units.computeIfAbsent(unit, u -> new UnitHealth());
        health.timeouts++;
        if (health.timeouts < connection.unitFailures()) {
            return false;
        }
        boolean first = health.backoff == null;
        health.backoff = first ? connection.backoffMin() : min(health.backoff.multipliedBy(2), connection.backoffMax());
        health.probeAtNanos = nanos.getAsLong() + health.backoff.toNanos();
        if (health.probeAtNanos == 0) {
            health.probeAtNanos = 1;
        }
        if (first) {
            LOG.warn("从站 {}（{}）连续 {} 次无应答，暂时隔离 / Unit {} on {} isolated after {} timeouts in a row",
                    unit, name, health.timeouts, unit, name, health.timeouts);
        }
        return true;
    }

    private void fail(Request request, ModbusException e) {
        if (e.reason() != Reason.EXCEPTION) {
            failures.incrementAndGet();
        }
        lastError = e.getMessage();
        request.future().completeExceptionally(e);
    }

    private String describe(Request request) {
        return request.op().describe() + " (unit " + request.unit() + ")";
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("timed out")
                    || message != null && message.toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
