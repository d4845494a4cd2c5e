package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;

/**
 * The driver's unlocks against a tiny Californium server playing the cabinet: it registers from the endpoint that
 * serves {@code POST /locks/{label}}, so the gateway's request reaches it at the address it registered from.
 */
class UnlockTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path data;

    private Fixture f;
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<String> received = new AtomicReference<>();
    private final AtomicReference<String> label = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data, new Settings(10, Duration.ofSeconds(1), 256, true));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A cabinet on {@code endpoint} answering unlocks with {@link #answer} (null: never answers). */
    private CabinetDriver cabinet(CoapEndpoint endpoint, String uri, boolean dtls) throws Exception {
        CoapResource locks = new CoapResource("locks");
        for (String door : new String[] {"11", "12"}) {
            locks.add(new CoapResource(door) {
                @Override
                public void handlePOST(CoapExchange exchange) {
                    label.set(getName());
                    received.set(new String(exchange.getRequestPayload(), StandardCharsets.UTF_8));
                    String text = answer.get();
                    if (text != null) {
                        exchange.respond(ResponseCode.CHANGED, text, MediaTypeRegistry.APPLICATION_JSON);
                    }
                }
            });
        }
        f.net.device(endpoint).add(locks);
        f.register(dtls ? f.net.dtlsClient(endpoint, uri) : f.net.client(endpoint, uri));
        return f.core.last().driver();
    }

    @ParameterizedTest
    @CsvSource({"opened, OPENED", "already_open, ALREADY_OPEN", "jammed, JAMMED"})
    void the_cabinets_outcome_is_the_unlock_outcome(String wire, UnlockOutcome outcome) throws Exception {
        CabinetDriver driver = cabinet(f.net.plainEndpoint(), "/rd?ep=c1", false);
        answer.set("{\"outcome\":\"" + wire + "\"}");

        UnlockOutcome result = driver.unlock("12", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(outcome);
        assertThat(label.get()).isEqualTo("12");
        assertThat(received.get()).isEqualTo("{\"pulseMs\":400}");
    }

    @Test
    void an_answer_without_a_known_outcome_fails_naming_cabinet_compartment_and_answer() throws Exception {
        CabinetDriver driver = cabinet(f.net.plainEndpoint(), "/rd?ep=c1", false);
        answer.set("{\"outcome\":\"exploded\"}");

        assertThatThrownBy(() -> driver.unlock("11", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("cabinet c1 answered the unlock of compartment 11 with 2.04")
                .hasMessageContaining("exploded");
    }

    @Test
    void no_answer_within_the_timeout_fails_with_a_timeout_naming_cabinet_and_compartment() throws Exception {
        CabinetDriver driver = cabinet(f.net.plainEndpoint(), "/rd?ep=c1", false);
        answer.set(null);
        long started = System.nanoTime();

        assertThatThrownBy(() -> driver.unlock("12", Duration.ofMillis(100)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("cabinet c1 did not answer the unlock of compartment 12 within 1100 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1000L, 4000L);
    }

    @Test
    void an_unknown_compartment_or_a_cabinet_without_registration_fails_at_once() throws Exception {
        CabinetDriver driver = cabinet(f.net.plainEndpoint(), "/rd?ep=c1", false);

        assertThat(driver.unlock("99", Duration.ofMillis(400)).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("cabinet c1 has no compartment 99");
        f.vendor.registrations().ofCabinet("c1").ifPresent(r -> f.vendor.registrations().remove(r));
        assertThat(driver.unlock("12", Duration.ofMillis(400)).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class)
                .withMessageContaining("cabinet c1 has no live registration");
    }

    @Test
    void a_cabinet_registered_over_dtls_gets_its_unlocks_over_dtls() throws Exception {
        f.net.psk().put("c1", KEY);
        CabinetDriver driver = cabinet(f.net.dtlsEndpoint("c1", KEY), "/rd?ep=c1", true);
        answer.set("{\"outcome\":\"opened\"}");

        UnlockOutcome result = driver.unlock("11", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(UnlockOutcome.OPENED);
        assertThat(f.vendor.registrations().ofCabinet("c1").orElseThrow().peer().secure()).isTrue();
    }
}
