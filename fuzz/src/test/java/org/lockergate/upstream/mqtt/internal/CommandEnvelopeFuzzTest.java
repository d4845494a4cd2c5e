package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lockergate.fuzz.Input;
import org.lockergate.upstream.mqtt.CloudCommand;

/**
 * Signed cloud commands from MQTT ({@code lockergate/v1/{gw}/cmd/{name}}). Two ways in:
 * <ul>
 * <li>raw: the envelope is the fuzzer's bytes. Without the key nothing is accepted, and every refusal is a
 * {@link CommandVerifier.Refusal} with a 4xx status;</li>
 * <li>signed: the fuzzer writes the payload and the test signs it with the gateway's HMAC key (a cloud that is
 * trusted but sends odd payloads): accepted only within its lifetime, and a second delivery is refused as a
 * replay.</li>
 * </ul>
 */
class CommandEnvelopeFuzzTest {

    private static final byte[] KEY = "fuzz-hmac-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Path KEY_FILE = keyFile();

    private static Path keyFile() {
        try {
            Path file = Files.createTempFile("fuzz-hmac", ".key");
            Files.writeString(file, Base64.getEncoder().encodeToString(KEY));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommandVerifier verifier() {
        return new CommandVerifier(Map.of(), KEY_FILE, "k1", "gw-fuzz", () -> NOW, Duration.ofMinutes(10),
                Duration.ofSeconds(30), new ReplayGuard(64));
    }

    @FuzzTest(maxDuration = "10m")
    void raw(byte[] input) {
        // option byte: low bits pick the topic's command name, bit 7 = a retained message
        String name = Input.pick(input, "parcel.cancel", "compartment.open", "config.get", "../x", "");
        boolean retained = Input.bit(input, 7);
        byte[] envelope = Input.payload(input);
        try {
            CloudCommand command = verifier().verify(name, envelope, retained);
            // only a correct HMAC under the gateway's key gets here: check it really is one
            assertThat(validHmac(envelope)).as("accepted only with the gateway's key: " + command).isTrue();
        } catch (CommandVerifier.Refusal r) {
            assertThat(r.status).isBetween(400, 499);
            assertThat(r.error).isNotBlank();
            if (r.requestId != null) {
                assertThat(r.requestId).matches("[A-Za-z0-9._:-]{1,64}");
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void signed(byte[] input) throws Exception {
        String name = Input.pick(input, "parcel.cancel", "compartment.open", "config.get");
        byte[] payload = Input.payload(input);
        String envelope = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload) + "\",\"sig\":\""
                + Base64.getEncoder().encodeToString(hmac(payload)) + "\"}";
        CommandVerifier verifier = verifier();
        CloudCommand command;
        try {
            command = verifier.verify(name, envelope.getBytes(StandardCharsets.UTF_8), false);
        } catch (CommandVerifier.Refusal r) {
            assertThat(r.status).isBetween(400, 499);
            assertThat(r.error).isNotIn("unsigned", "bad_signature", "unknown_key");
            return;
        }
        assertThat(command.name()).isEqualTo(name);
        assertThat(command.expiresAt()).isAfter(NOW);
        assertThat(command.issuedAt()).isBeforeOrEqualTo(NOW.plusSeconds(30));
        assertThat(Duration.between(command.issuedAt(), command.expiresAt()))
                .isLessThanOrEqualTo(Duration.ofMinutes(10));
        try {
            verifier.verify(name, envelope.getBytes(StandardCharsets.UTF_8), false);
            throw new AssertionError("a replayed command was accepted: " + command);
        } catch (CommandVerifier.Refusal r) {
            assertThat(r.error).isEqualTo("replayed");
        }
    }

    private static byte[] hmac(byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return mac.doFinal(payload);
    }

    private static boolean validHmac(byte[] envelope) {
        try {
            var node = Payloads.JSON.readTree(envelope);
            byte[] payload = Base64.getDecoder().decode(node.get("payload").asText());
            byte[] sig = Base64.getDecoder().decode(node.get("sig").asText());
            return java.security.MessageDigest.isEqual(hmac(payload), sig);
        } catch (Exception e) {
            return false;
        }
    }
}
