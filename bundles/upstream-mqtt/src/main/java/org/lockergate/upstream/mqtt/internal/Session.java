package org.lockergate.upstream.mqtt.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.lockergate.api.model.OutboxEvent;

/**
 * One MQTT connection: a fresh Paho client (memory persistence) per connection, so nothing Paho kept from an earlier
 * connection is resent behind the drain's back; the drain's window and per-stream progress on it. When a
 * connection ends its session is dropped whole and the next one resends from the store.
 */
final class Session {

    private static final int STREAMS = OutboxEvent.Stream.values().length;

    final MqttAsyncClient client;
    /** Outbox rows in flight on this connection; Paho's own limit (maxInflight) is a little higher. */
    final Semaphore window;
    /** Per stream: the last seq published on this connection. Drain thread only. */
    final long[] lastSent = new long[STREAMS];
    /** Per stream: what the broker acknowledged, in order. */
    final AckWindow[] acks = new AckWindow[STREAMS];
    final long number;
    private final AtomicBoolean alive = new AtomicBoolean(true);

    Session(MqttAsyncClient client, int window, long number) {
        this.client = client;
        this.window = new Semaphore(window);
        this.number = number;
        for (int i = 0; i < STREAMS; i++) {
            acks[i] = new AckWindow();
        }
    }

    boolean alive() {
        return alive.get() && client.isConnected();
    }

    /** Marks the session over; true for the caller that ended it. */
    boolean end() {
        return alive.compareAndSet(true, false);
    }

    IMqttDeliveryToken publish(String topic, byte[] payload, int qos, boolean retained, Object context,
            IMqttActionListener listener) throws MqttException {
        return client.publish(topic, payload, qos, retained, context, listener);
    }
}
