package org.lockergate.upstream.mqtt.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the broker: client id = gateway id, {@code cleanSession=false} with a QoS 1 subscription to
 * {@code cmd/#} (the broker queues commands while the gateway is briefly away), retained birth on {@code status} and
 * a retained last will, TLS and username/password, reconnect with jittered exponential backoff. Paho's own automatic
 * reconnect is off: every connection is a fresh client with memory persistence, and the drain resends from the store.
 */
final class MqttLink {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** What the link tells the upstream. Called on the link thread or Paho's threads: return quickly. */
    interface Listener {
        void connected(Session session);

        void lost(Session session);

        void attemptFailed();

        void message(Session session, String topic, MqttMessage message);
    }

    private final UpstreamSettings settings;
    private final Payloads payloads;
    private final Listener listener;
    private final ScheduledExecutorService exec;
    private final Backoff backoff;
    private final Supplier<Instant> now;
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();

    private volatile Session current;
    private volatile boolean stopped;
    private volatile String lastFailure;
    private volatile Instant connectedSince;
    private int failuresInRow;

    MqttLink(UpstreamSettings settings, Payloads payloads, Listener listener, ScheduledExecutorService exec,
            Backoff backoff, Supplier<Instant> now) {
        this.settings = settings;
        this.payloads = payloads;
        this.listener = listener;
        this.exec = exec;
        this.backoff = backoff;
        this.now = now;
    }

    void start() {
        submit(this::attempt, 0);
    }

    Session current() {
        Session s = current;
        return s != null && s.alive() ? s : null;
    }

    boolean connected() {
        return current() != null;
    }

    long connects() {
        return connects.get();
    }

    Instant connectedSince() {
        return connectedSince;
    }

    String lastFailure() {
        return lastFailure;
    }

    /** A connection is broken (lost, or a publish failed on it): end it and reconnect after a backoff. */
    void ended(Session s) {
        if (!s.end()) {
            return;
        }
        if (current == s) {
            current = null;
            connectedSince = null;
        }
        listener.lost(s);
        if (!stopped) {
            long delay = backoff.nextMillis();
            LOG.warn("与 MQTT 代理的连接断开，{} ms 后重连 / Lost the MQTT broker {}; reconnecting in {} ms", delay,
                    settings.url(), delay);
            submit(() -> close(s.client), 0);
            submit(this::attempt, delay);
        }
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        MqttAsyncClient client = null;
        Session session = null;
        long timeout = settings.connectTimeoutSeconds() * 1000L + 2_000;
        try {
            client = new MqttAsyncClient(settings.url(), settings.gatewayId(), new MemoryPersistence());
            session = new Session(client, settings.drainWindow(), sessions.incrementAndGet());
            client.setCallback(new Callback(session));
            MqttConnectOptions options = options();
            try {
                client.connect(options).waitForCompletion(timeout);
            } finally {
                if (options.getPassword() != null) {
                    Arrays.fill(options.getPassword(), '\0');
                }
            }
            client.subscribe(payloads.commandFilter(), 1).waitForCompletion(timeout);
            client.publish(payloads.statusTopic(), payloads.birth(settings.version(), now.get()), 1, true)
                    .waitForCompletion(timeout);
        } catch (MqttException | IOException | GeneralSecurityException | RuntimeException e) {
            failed(e, client, session);
            return;
        }
        if (stopped) {
            close(client);
            return;
        }
        backoff.reset();
        failuresInRow = 0;
        lastFailure = null;
        connects.incrementAndGet();
        connectedSince = now.get();
        current = session;
        LOG.info("已连接 MQTT 代理 / Connected to the MQTT broker {} as {} (connection {})", settings.url(),
                settings.gatewayId(), session.number);
        listener.connected(session);
        if (!client.isConnected()) {
            ended(session); // lost while we were announcing it
        }
    }

    private void failed(Exception e, MqttAsyncClient client, Session session) {
        if (session != null) {
            session.end();
        }
        if (client != null) {
            try {
                client.disconnectForcibly(0, 100, false);
            } catch (MqttException | RuntimeException ignored) {
                // not connected
            }
            close(client);
        }
        String reason = describe(e);
        failuresInRow++;
        long delay = backoff.nextMillis();
        if (failuresInRow == 1 || !reason.equals(lastFailure) || failuresInRow % 20 == 0) {
            LOG.warn("无法连接 MQTT 代理（第 {} 次），{} ms 后重试 / Cannot connect to the MQTT broker {} (attempt {}): {};"
                    + " retrying in {} ms", failuresInRow, delay, settings.url(), failuresInRow, reason, delay);
        } else {
            LOG.debug("MQTT connect attempt {} failed: {}", failuresInRow, reason);
        }
        lastFailure = reason;
        listener.attemptFailed();
        submit(this::attempt, delay);
    }

    MqttConnectOptions options() throws IOException, GeneralSecurityException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout(settings.connectTimeoutSeconds());
        o.setMaxInflight(settings.maxInflight());
        o.setWill(payloads.statusTopic(), payloads.will(), 1, true);
        if (settings.username() != null && !settings.username().isBlank()) {
            o.setUserName(settings.username());
            Optional<char[]> password = Secrets.readChars(settings.passwordFile());
            if (password.isPresent()) {
                o.setPassword(password.get());
            } else {
                LOG.warn("未找到 MQTT 密码文件，不带密码连接 / No MQTT password file {}: connecting without a password",
                        settings.passwordFile());
            }
        }
        if (settings.socketFactory() != null) {
            o.setSocketFactory(settings.socketFactory());
        } else if (settings.tls()) {
            o.setSocketFactory(Tls.socketFactory(settings));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    /**
     * Stops reconnecting; with {@code graceful}, publishes the retained offline status (the broker sends the will
     * only when a connection dies) and disconnects; without, drops the socket without a DISCONNECT, as a crash
     * would, so the broker publishes the last will.
     */
    void stop(boolean graceful) {
        stopped = true;
        Session s = current;
        current = null;
        if (s == null) {
            return;
        }
        s.end();
        MqttAsyncClient client = s.client;
        try {
            if (graceful && client.isConnected()) {
                client.publish(payloads.statusTopic(), payloads.offline(now.get()), 1, true).waitForCompletion(2_000);
                client.disconnect(1_000).waitForCompletion(2_000);
            } else {
                client.disconnectForcibly(0, 0, false);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("disconnect: {}", e.toString());
            try {
                client.disconnectForcibly(0, 0, false);
            } catch (MqttException | RuntimeException ignored) {
                // already down
            }
        }
        close(client);
    }

    /** Publishes outside the drain (replies). Returns false when there is no connection. */
    boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        Session s = current();
        if (s == null) {
            return false;
        }
        try {
            IMqttDeliveryToken token = s.client.publish(topic, payload, qos, retained);
            return token != null;
        } catch (MqttException e) {
            LOG.debug("publish to {} failed: {}", topic, e.toString());
            return false;
        }
    }

    private void submit(Runnable task, long delayMillis) {
        try {
            exec.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("MQTT 连接任务出错 / MQTT link task failed: {}", e.toString(), e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private static void close(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            out.append(" <- ").append(cause);
        }
        return out.toString().replace('\n', ' ');
    }

    private final class Callback implements MqttCallback {
        private final Session session;

        Callback(Session session) {
            this.session = session;
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.debug("connection {} lost: {}", session.number, String.valueOf(cause));
            ended(session);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            listener.message(session, topic, message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // per-publish listeners do the work
        }
    }
}
