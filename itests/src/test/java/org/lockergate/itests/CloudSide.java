package org.lockergate.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The county platform in a test: a Paho consumer with a persistent session (cleanSession=false, QoS 1, reconnecting
 * by itself) that keeps every message in arrival order, de-duplicates events by {@code eventId} as a real consumer
 * must, validates payloads against the JSON Schemas of {@code docs/protocols/mqtt-schemas}, and signs commands.
 */
public final class CloudSide implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    public record Message(String topic, JsonNode json, boolean retained) {
    }

    private final String root;
    private final MqttClient client;
    private final List<Message> received = new ArrayList<>();
    private final Map<String, Schema> schemas;

    public CloudSide(String url, String clientId, String gatewayId, Path schemaDir) throws Exception {
        this.root = "lockergate/v1/" + gatewayId + "/";
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        this.schemas = Map.of("event", schema(registry, schemaDir, "event.json"), "alarm",
                schema(registry, schemaDir, "alarm.json"), "status", schema(registry, schemaDir, "status.json"),
                "telemetry", schema(registry, schemaDir, "telemetry.json"), "reply",
                schema(registry, schemaDir, "reply.json"));
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws IOException {
                JsonNode json = JSON.readTree(message.getPayload());
                synchronized (received) {
                    received.add(new Message(topic, json, message.isRetained()));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe(root + "#", 1);
    }

    private static Schema schema(SchemaRegistry registry, Path dir, String file) throws IOException {
        return registry.getSchema(Files.readString(dir.resolve(file), StandardCharsets.UTF_8));
    }

    public List<Message> all() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** Messages whose topic (below the gateway's root) starts with {@code prefix}, in arrival order. */
    public List<Message> on(String prefix) {
        return all().stream().filter(m -> m.topic().startsWith(root + prefix)).collect(Collectors.toList());
    }

    /** The events (or alarms) stream after de-duplication by eventId, first arrival kept: what a consumer stores. */
    public List<JsonNode> deduplicated(String stream) {
        Set<String> seen = new LinkedHashSet<>();
        List<JsonNode> out = new ArrayList<>();
        for (Message m : on(stream + "/")) {
            if (seen.add(m.json().get("eventId").asText())) {
                out.add(m.json());
            }
        }
        return out;
    }

    /** Schema violations of every message received so far, as readable lines (empty = all valid). */
    public List<String> violations() {
        List<String> out = new ArrayList<>();
        for (Message m : all()) {
            String sub = m.topic().substring(root.length());
            String kind = sub.startsWith("events/") ? "event" : sub.startsWith("alarms/") ? "alarm"
                    : sub.equals("status") ? "status" : sub.equals("telemetry") ? "telemetry"
                    : sub.startsWith("reply/") ? "reply" : null;
            if (kind == null) {
                continue; // our own commands on cmd/
            }
            schemas.get(kind).validate(m.json()).forEach(e -> out.add(sub + ": " + e.getMessage() + " in " + m.json()));
        }
        return out;
    }

    /** Signs and publishes a command (Ed25519, QoS 1, not retained). */
    public void command(KeyPair key, String kid, String gatewayId, String name, String requestId, Instant issuedAt,
            Instant expiresAt, Map<String, Object> args) throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("requestId", requestId);
        payload.put("command", name);
        payload.put("gatewayId", gatewayId);
        payload.put("issuedAt", issuedAt.toString());
        payload.put("expiresAt", expiresAt.toString());
        payload.set("args", JSON.valueToTree(args));
        byte[] bytes = JSON.writeValueAsBytes(payload);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(bytes);
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("alg", "Ed25519");
        envelope.put("kid", kid);
        envelope.put("payload", Base64.getEncoder().encodeToString(bytes));
        envelope.put("sig", Base64.getEncoder().encodeToString(s.sign()));
        client.publish(root + "cmd/" + name, JSON.writeValueAsBytes(envelope), 1, false);
    }

    /** The replies to one request id, in arrival order. */
    public List<JsonNode> replies(String requestId) {
        return all().stream().filter(m -> m.topic().equals(root + "reply/" + requestId)).map(Message::json)
                .collect(Collectors.toList());
    }

    public static void await(long millis, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(50); // polling a real process and broker; bounded by the deadline
        }
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
