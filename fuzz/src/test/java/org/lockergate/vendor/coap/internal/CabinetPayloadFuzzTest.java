package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.fuzz.Input;
import org.lockergate.transport.coap.CoapException;

/**
 * A cabinet's registration ({@code POST /rd?ep=…}) and event batches ({@code POST /cabinets/{id}/events}): any
 * JSON gives a parsed value or a 4.00 {@link CoapException} naming the field, never anything else.
 */
class CabinetPayloadFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LABELS = Set.of("A01", "A02", "B01", "1", "2");

    @FuzzTest(maxDuration = "10m")
    void registration(byte[] input) {
        // the payload is "ep\nlt\nbody"; the option byte is the heartbeat in seconds
        int heartbeat = Math.max(1, Input.options(input));
        String[] parts = new String(Input.payload(input), java.nio.charset.StandardCharsets.UTF_8).split("\n", 3);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ep", parts[0]);
        if (parts.length > 1 && !parts[1].isEmpty()) {
            query.put("lt", parts[1]);
        }
        JsonNode body = tree(parts.length > 2 ? parts[2] : "");
        try {
            Descriptors.Parsed parsed = Descriptors.parse(query, body, heartbeat);
            assertThat(parsed.descriptor()).isNotNull();
            assertThat(parsed.lifetimeSeconds()).isPositive();
        } catch (CoapException e) {
            assertThat(e.code().codeClass()).isEqualTo(4);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void events(byte[] input) {
        int max = 1 + Input.options(input) % 64;
        JsonNode body = tree(new String(Input.payload(input), java.nio.charset.StandardCharsets.UTF_8));
        try {
            EventBatch batch = EventBatch.parse(body, LABELS, max);
            assertThat(batch.events()).hasSizeLessThanOrEqualTo(max);
            long previous = 0;
            for (CabinetEvent event : batch.events()) {
                assertThat(event.seq()).isGreaterThan(previous);
                previous = event.seq();
            }
        } catch (CoapException e) {
            assertThat(e.code().codeClass()).isEqualTo(4);
        }
    }

    static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null; // the codec answers 4.00 before the parsers see it; null stands for "not an object"
        }
    }
}
