package org.lockergate.upstream.mqtt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A cloud-side consumer: a Paho client with a persistent session (cleanSession=false) and a QoS 1 subscription,
 * reconnecting by itself; it keeps every message in arrival order.
 */
final class Subscriber implements AutoCloseable {

    record Received(String topic, JsonNode json, boolean retained) {
    }

    private final MqttClient client;
    private final List<Received> received = new ArrayList<>();

    Subscriber(String url, String clientId, String filter) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message)
                    throws IOException {
                JsonNode json = Payloads.JSON.readTree(message.getPayload());
                synchronized (received) {
                    received.add(new Received(topic, json, message.isRetained()));
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe(filter, 1);
    }

    List<Received> all() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    List<Received> on(String topicPrefix) {
        return all().stream().filter(r -> r.topic().startsWith(topicPrefix)).collect(Collectors.toList());
    }

    boolean connected() {
        return client.isConnected();
    }

    int size() {
        synchronized (received) {
            return received.size();
        }
    }

    void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        client.publish(topic, payload, 1, retained);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(500);
            }
            client.close(true);
        } catch (MqttException e) {
            // test teardown
        }
    }
}
