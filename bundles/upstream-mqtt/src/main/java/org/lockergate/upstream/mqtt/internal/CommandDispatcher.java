package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.lockergate.api.locker.LockerException;
import org.lockergate.store.LockerStore;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cloud commands: verify ({@link CommandVerifier}), find the handler, run it on the command pool, reply on
 * {@code reply/{requestId}} and audit. Refused commands are audited as {@code cmd.refused}, executed ones as
 * {@code cmd.executed} (actor {@code cloud}; the args are not audited — a handler audits its own change).
 */
final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /** Where replies go (the current connection). */
    @FunctionalInterface
    interface Replies {
        boolean publish(String topic, byte[] payload, int qos, boolean retained);
    }

    private final CommandVerifier verifier;
    private final HandlerRegistry handlers;
    private final Payloads payloads;
    private final Replies replies;
    private final LockerStore store;
    private final Supplier<Instant> now;
    private final ExecutorService pool;
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    CommandDispatcher(CommandVerifier verifier, HandlerRegistry handlers, Payloads payloads, Replies replies,
            LockerStore store, Supplier<Instant> now, ExecutorService pool) {
        this.verifier = verifier;
        this.handlers = handlers;
        this.payloads = payloads;
        this.replies = replies;
        this.store = store;
        this.now = now;
        this.pool = pool;
    }

    /** From the MQTT callback thread: hand over to the pool at once. */
    void arrived(String topic, byte[] payload, boolean retained) {
        if (!topic.startsWith(payloads.commandPrefix())) {
            return;
        }
        String name = topic.substring(payloads.commandPrefix().length());
        try {
            pool.execute(() -> handle(name, payload, retained));
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            LOG.warn("命令队列已满，丢弃 {} / Command queue full: {} dropped", name, name);
            audit("cmd.refused", name, "busy (queue full)");
        }
    }

    /** Verifies, runs and answers one command (synchronously). Returns the status answered. */
    int handle(String name, byte[] payload, boolean retained) {
        CloudCommand command;
        try {
            command = verifier.verify(name, payload, retained);
        } catch (CommandVerifier.Refusal r) {
            refused.incrementAndGet();
            LOG.warn("拒绝云端命令 {}：{} / Refused cloud command {} (requestId {}): {} {}", name, r.error, name,
                    r.requestId, r.status, r.error);
            audit("cmd.refused", name, r.error + " status=" + r.status + " requestId=" + r.requestId + " alg=" + r.alg
                    + " kid=" + r.kid);
            if (r.requestId != null) {
                reply(r.requestId, r.status, error(r.error, r.getMessage(), Map.of()));
            }
            return r.status;
        }
        CommandHandler handler = handlers.get(name);
        int status;
        Object body;
        if (handler == null) {
            status = 404;
            body = error("unknown_command", "网关不支持该命令 / Unknown command " + name, Map.of());
        } else {
            CommandResult result;
            try {
                result = handler.handle(command);
                status = result == null ? 200 : result.status();
                body = result == null ? null : result.body();
            } catch (CommandException e) {
                status = e.status();
                body = error(e.error(), e.getMessage(), e.extra());
            } catch (LockerException e) {
                status = status(e.kind());
                body = error(e.code(), e.getMessage(), e.extra());
            } catch (Exception | LinkageError e) {
                LOG.error("云端命令 {} 执行出错 / Cloud command {} (requestId {}) failed: {}", name, name,
                        command.requestId(), e.toString());
                LOG.debug("stack", e);
                status = 500;
                body = error("internal_error", "网关内部错误 / Internal error", Map.of());
            }
        }
        executed.incrementAndGet();
        audit("cmd.executed", name, "status=" + status + " requestId=" + command.requestId() + " alg="
                + command.algorithm() + " kid=" + command.keyId());
        reply(command.requestId(), status, body);
        return status;
    }

    long executed() {
        return executed.get();
    }

    long refused() {
        return refused.get();
    }

    private void reply(String requestId, int status, Object body) {
        byte[] bytes;
        try {
            bytes = payloads.reply(requestId, status, body, now.get());
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.error("命令回复无法序列化 / The reply to {} cannot be written as JSON: {}", requestId, e.toString());
            bytes = payloads.reply(requestId, 500, error("internal_error", "回复无法序列化 / Reply not serialisable",
                    Map.of()), now.get());
        }
        if (!replies.publish(payloads.replyTopic(requestId), bytes, 1, false)) {
            LOG.info("未连接，命令 {} 的回复丢失 / Not connected: the reply to {} is lost (the cloud times out)",
                    requestId, requestId);
        }
    }

    private void audit(String action, String name, String detail) {
        Instant at = now.get();
        try {
            store.write(action, tx -> {
                tx.audit(at, "cloud", action, "cmd:" + name, detail);
                return null;
            });
        } catch (Exception e) {
            LOG.warn("命令审计写入失败 / Auditing {} of {} failed: {}", action, name, e.getMessage());
        }
    }

    static Map<String, Object> error(String error, String message, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("message", message);
        out.putAll(extra);
        return out;
    }

    static int status(LockerException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED, FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, TOO_MANY -> 409;
            case UNAVAILABLE -> 500;
        };
    }
}
