package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.upstream.mqtt.CommandResult;

/** Signed cloud commands: verification, statuses, replies and audit. */
class CommandTest {

    @TempDir
    Path tmp;

    private KeyPair cloud;
    private KeyPair stranger;
    private final byte[] hmacKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final Fakes.Clock clock = new Fakes.Clock();
    private MemStore store;
    private HandlerRegistry handlers;
    private Upstream upstream;

    @BeforeEach
    void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
        cloud = gen.generateKeyPair();
        stranger = gen.generateKeyPair();
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path hmacFile = secrets.resolve("mqtt-command-hmac");
        Files.writeString(hmacFile, Base64.getEncoder().encodeToString(hmacKey) + "\n");
        Files.setPosixFilePermissions(hmacFile, PosixFilePermissions.fromString("rw-r--r--"));
        store = new MemStore();
        handlers = new HandlerRegistry();
        handlers.add("echo", c -> CommandResult.ok(Map.of("args", c.args(), "requestId", c.requestId())), 5, "test");
        handlers.add(new String[] {"fails"}, c -> {
            throw new LockerException(LockerException.Kind.CONFLICT, "wrong_state", "状态不对 / Wrong state");
        }, 6, "test");
        upstream = upstream("tcp://127.0.0.1:1"); // never connects in the unit tests: replies are dropped
    }

    private Upstream upstream(String url) {
        UpstreamSettings s = Gateways.settings(url, tmp).with(b -> b.cloudPublicKeys = List.of("cloud-1="
                + Base64.getEncoder().encodeToString(cloud.getPublic().getEncoded()))).build();
        return Gateways.upstream(s, store, store.probe(), clock, new Fakes.Alarms(), new Fakes.Queries(), handlers);
    }

    private String payload(String requestId, Instant issued, Instant expires) {
        return "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\"" + issued + "\",\"expiresAt\":\"" + expires
                + "\",\"args\":{\"groupId\":\"g1\",\"n\":3}}";
    }

    private String payload(String requestId) {
        return payload(requestId, clock.now(), clock.now().plusSeconds(60));
    }

    static byte[] ed25519(PrivateKey key, String payload, String kid) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(bytes);
        return envelope("Ed25519", kid, bytes, s.sign());
    }

    byte[] hs256(String payload) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
        return envelope("HS256", "gateway", bytes, mac.doFinal(bytes));
    }

    static byte[] envelope(String alg, String kid, byte[] payload, byte[] sig) {
        Base64.Encoder b64 = Base64.getEncoder();
        return ("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"payload\":\"" + b64.encodeToString(payload)
                + "\",\"sig\":\"" + b64.encodeToString(sig) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private int run(String name, byte[] envelope) {
        return upstream.commands().handle(name, envelope, false);
    }

    @Test
    void a_good_ed25519_command_runs_its_handler() throws Exception {
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-1"), "cloud-1"))).isEqualTo(200);
        assertThat(store.audit).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("cmd.executed");
            assertThat(a.actor()).isEqualTo("cloud");
            assertThat(a.detail()).contains("requestId=r-1", "status=200");
        });
    }

    @Test
    void a_good_hs256_command_runs_its_handler() throws Exception {
        assertThat(run("echo", hs256(payload("r-h")))).isEqualTo(200);
    }

    @Test
    void bad_expired_replayed_unsigned_and_malformed_commands_are_refused_and_audited() throws Exception {
        assertThat(run("echo", ed25519(stranger.getPrivate(), payload("r-bad"), "cloud-1"))).as("bad signature")
                .isEqualTo(403);
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-kid"), "other"))).as("unknown key")
                .isEqualTo(403);
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-exp", clock.now().minusSeconds(120),
                clock.now().minusSeconds(1)), "cloud-1"))).as("expired").isEqualTo(403);
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-rep"), "cloud-1"))).isEqualTo(200);
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-rep"), "cloud-1"))).as("replayed")
                .isEqualTo(409);
        byte[] unsigned = ("{\"alg\":\"none\",\"payload\":\"" + Base64.getEncoder().encodeToString(
                payload("r-uns").getBytes(StandardCharsets.UTF_8)) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(run("echo", unsigned)).as("unsigned").isEqualTo(403);
        assertThat(run("echo", "{not json".getBytes(StandardCharsets.UTF_8))).as("malformed envelope").isEqualTo(400);
        assertThat(run("echo", ed25519(cloud.getPrivate(), "{\"requestId\":\"r-m\",\"issuedAt\":\"yesterday\"}",
                "cloud-1"))).as("malformed payload").isEqualTo(400);
        assertThat(run("echo", ed25519(cloud.getPrivate(), payload("r-long", clock.now(),
                clock.now().plus(Duration.ofHours(2))), "cloud-1"))).as("lifetime too long").isEqualTo(400);
        assertThat(upstream.commands().handle("echo", ed25519(cloud.getPrivate(), payload("r-ret"), "cloud-1"), true))
                .as("retained").isEqualTo(400);

        assertThat(store.audit).filteredOn(a -> a.action().equals("cmd.refused")).extracting(MemStore.Audit::detail)
                .anySatisfy(d -> assertThat(d).startsWith("bad_signature"))
                .anySatisfy(d -> assertThat(d).startsWith("unknown_key"))
                .anySatisfy(d -> assertThat(d).startsWith("expired"))
                .anySatisfy(d -> assertThat(d).startsWith("replayed"))
                .anySatisfy(d -> assertThat(d).startsWith("unsigned"))
                .anySatisfy(d -> assertThat(d).startsWith("malformed"))
                .anySatisfy(d -> assertThat(d).startsWith("retained_command"));
    }

    @Test
    void a_payload_signed_for_another_command_or_gateway_is_refused() throws Exception {
        String forOther = "{\"requestId\":\"r-x\",\"command\":\"compartment.enable\",\"issuedAt\":\"" + clock.now()
                + "\",\"expiresAt\":\"" + clock.now().plusSeconds(60) + "\"}";
        assertThat(run("echo", ed25519(cloud.getPrivate(), forOther, "cloud-1"))).isEqualTo(400);
        String otherGateway = "{\"requestId\":\"r-y\",\"gatewayId\":\"gw-9\",\"issuedAt\":\"" + clock.now()
                + "\",\"expiresAt\":\"" + clock.now().plusSeconds(60) + "\"}";
        assertThat(run("echo", ed25519(cloud.getPrivate(), otherGateway, "cloud-1"))).isEqualTo(403);
    }

    @Test
    void unknown_commands_answer_404_and_handler_errors_map_to_their_status() throws Exception {
        assertThat(run("pickup.authorize", ed25519(cloud.getPrivate(), payload("r-404"), "cloud-1"))).isEqualTo(404);
        assertThat(run("fails", ed25519(cloud.getPrivate(), payload("r-409"), "cloud-1"))).isEqualTo(409);
    }

    @Test
    void replies_go_to_reply_request_id_over_mqtt() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber cloudSide = new Subscriber(broker.url(), "cloud-cmd", "lockergate/v1/gw-test-1/reply/#")) {
            upstream.stop(); // its built-in diagnostics would serve first
            Upstream live = upstream(broker.url());
            live.start();
            try {
                Await.until(Duration.ofSeconds(10), "connected", () -> live.link().connected());
                cloudSide.publish("lockergate/v1/gw-test-1/cmd/echo", ed25519(cloud.getPrivate(), payload("r-live"),
                        "cloud-1"), false);
                cloudSide.publish("lockergate/v1/gw-test-1/cmd/echo", ed25519(stranger.getPrivate(),
                        payload("r-forged"), "cloud-1"), false);
                cloudSide.publish("lockergate/v1/gw-test-1/cmd/diagnostics", ed25519(cloud.getPrivate(),
                        payload("r-diag"), "cloud-1"), false);
                Await.until(Duration.ofSeconds(10), "three replies", () -> cloudSide.size() == 3);
                Map<String, JsonNode> byTopic = new java.util.HashMap<>();
                cloudSide.all().forEach(r -> byTopic.put(r.topic(), r.json()));
                JsonNode ok = byTopic.get("lockergate/v1/gw-test-1/reply/r-live");
                assertThat(ok.get("status").asInt()).isEqualTo(200);
                assertThat(ok.get("requestId").asText()).isEqualTo("r-live");
                assertThat(ok.get("body").get("args").get("n").asInt()).isEqualTo(3);
                JsonNode forged = byTopic.get("lockergate/v1/gw-test-1/reply/r-forged");
                assertThat(forged.get("status").asInt()).isEqualTo(403);
                assertThat(forged.get("body").get("error").asText()).isEqualTo("bad_signature");
                JsonNode diag = byTopic.get("lockergate/v1/gw-test-1/reply/r-diag").get("body");
                assertThat(diag.get("gatewayId").asText()).isEqualTo("gw-test-1");
                assertThat(diag.get("upstream").get("connected").asBoolean()).isTrue();
                assertThat(diag.get("outbox").has("events")).isTrue();
                assertThat(diag.get("store").get("acceptsNewData").asBoolean()).isTrue();
                assertThat(diag.has("uptimeSeconds")).isTrue();
            } finally {
                live.stop();
            }
        }
    }

    @Test
    void config_get_never_shows_secrets() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("url", "ssl://broker:8883");
        props.put("username", "gw-1");
        props.put("password", "hunter2");
        props.put("passwordFile", "/data/secrets/mqtt-password");
        props.put("apiToken", "x");
        props.put("hmacKey", "abc");
        props.put("note", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
        props.put("blob", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
        props.put("ports", new int[] {1, 2});
        Map<String, Object> view = ConfigGetCommand.view("org.lockergate.upstream.mqtt", null, props);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) view.get("properties");
        assertThat(shown).containsKeys("url", "username", "passwordFile", "ports")
                .doesNotContainKeys("password", "apiToken", "hmacKey", "note", "blob");
        assertThat(view.get("redacted")).asList().containsExactly("apiToken", "blob", "hmacKey", "note", "password");
        assertThat(shown.toString()).doesNotContain("hunter2");
    }

    @Test
    void the_hmac_secret_file_is_tightened_to_owner_only() throws Exception {
        run("echo", hs256(payload("r-perm")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("secrets")
                .resolve("mqtt-command-hmac")))).isEqualTo("rw-------");
    }
}
