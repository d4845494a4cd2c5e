package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapReply;
import org.lockergate.transport.coap.CoapRequestException;
import org.lockergate.transport.coap.CoapResponseCode;

/** The gateway as a client (unlocks) and the DTLS-PSK endpoint, with Californium devices on 127.0.0.1. */
class ClientAndDtlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path data;

    private TestGateway gateway;
    private CoapServer device;

    @BeforeEach
    void start() throws Exception {
        gateway = new TestGateway(data);
    }

    @AfterEach
    void stop() {
        if (device != null) {
            device.destroy();
        }
        gateway.close();
    }

    @Test
    void post_reaches_a_device_and_returns_its_json_answer() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        device = new CoapServer(Configuration.createStandardWithoutFile());
        device.addEndpoint(new CoapEndpoint.Builder().setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build());
        device.add(locks(received));
        device.start();
        InetSocketAddress address = device.getEndpoints().get(0).getAddress();

        CoapReply reply = gateway.transport.post(address, false, "/locks/12", Map.of("pulseMs", 400),
                Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);

        assertThat(reply.code()).isEqualTo(CoapResponseCode.CHANGED);
        assertThat(reply.body().path("outcome").asText()).isEqualTo("opened");
        assertThat(received.get()).isEqualTo("{\"pulseMs\":400}");
    }

    @Test
    void post_to_a_silent_port_times_out_naming_peer_and_path() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            long started = System.nanoTime();

            CompletableFuture<CoapReply> future = gateway.transport.post(peer, false, "/locks/12",
                    Map.of("pulseMs", 400), Duration.ofMillis(300));

            assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(CoapRequestException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort() + "/locks/12")
                    .hasMessageContaining("no answer within 300 ms")
                    .matches(e -> ((CoapRequestException) e).reason() == CoapRequestException.Reason.TIMEOUT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        }
    }

    @Test
    void a_dtls_peer_with_a_known_key_reaches_the_handler_with_its_identity() throws Exception {
        gateway.psk.put("c1", KEY);
        AtomicReference<CoapCall> seen = new AtomicReference<>();
        gateway.register(call -> {
            seen.set(call);
            call.respond(CoapResponseCode.CHANGED, Map.of("boot", 3, "acked", 17));
        }, "/cabinets/{cabinetId}/events", "POST", false);

        CoapResponse response = dtlsClient("c1", KEY, "/cabinets/c1/events").post("{\"boot\":3,\"events\":[]}",
                MediaTypeRegistry.APPLICATION_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(seen.get().peerIdentity()).contains("c1");
        assertThat(seen.get().secure()).isTrue();
        assertThat(seen.get().pathVariable("cabinetId")).isEqualTo("c1");
    }

    @Test
    void an_unknown_identity_or_wrong_key_fails_the_handshake() throws Exception {
        gateway.psk.put("c1", KEY);
        AtomicInteger handled = new AtomicInteger();
        gateway.register(call -> {
            handled.incrementAndGet();
            call.respond(CoapResponseCode.CHANGED);
        }, "/cabinets/{cabinetId}/events", "POST", false);

        try (LogCapture log = new LogCapture()) {
            assertThat(attempt(dtlsClient("intruder", KEY, "/cabinets/c1/events"))).isFalse();
            assertThat(log.lines("WARN")).anySatisfy(line -> assertThat(line).contains("unknown identity 'intruder'"));
            assertThat(log.text()).doesNotContain(HexFormat.of().formatHex(KEY));
        }
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        assertThat(attempt(dtlsClient("c1", wrong, "/cabinets/c1/events"))).isFalse();
        assertThat(handled).hasValue(0);
        assertThat(attempt(dtlsClient("c1", KEY, "/cabinets/c1/events"))).isTrue();
        assertThat(handled).hasValue(1);
    }

    @Test
    void a_key_added_to_the_file_by_hand_counts_from_the_next_handshake() throws Exception {
        gateway.close();
        gateway = new TestGateway(TransportSettings.loopback().withPskReload(Duration.ofMillis(100)),
                data.resolve("reload"));
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED), "/cabinets/{cabinetId}/events", "POST",
                false);
        Path file = gateway.psk.file();
        Files.writeString(file, Files.readString(file) + "c9=" + HexFormat.of().formatHex(KEY) + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!gateway.psk.contains("c9") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(attempt(dtlsClient("c9", KEY, "/cabinets/c9/events"))).isTrue();
    }

    @Test
    void the_gateway_posts_back_over_the_dtls_session_the_device_opened() throws Exception {
        gateway.psk.put("c1", KEY);
        AtomicReference<InetSocketAddress> registeredFrom = new AtomicReference<>();
        gateway.register(call -> {
            registeredFrom.set(call.peer());
            call.setLocationPath("rd/r1");
            call.respond(CoapResponseCode.CREATED, Map.of("heartbeat", 10));
        }, "/rd", "POST", false);
        AtomicReference<String> received = new AtomicReference<>();
        CoapEndpoint endpoint = dtlsEndpoint("c1", KEY);
        device = new CoapServer(Configuration.createStandardWithoutFile());
        device.addEndpoint(endpoint);
        device.add(locks(received));
        device.start();
        CoapClient client = new CoapClient(URI.create("coaps://127.0.0.1:" + gateway.secureAddress().getPort()
                + "/rd?ep=c1"));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        assertThat(client.post("{}", MediaTypeRegistry.APPLICATION_JSON).getCode()).isEqualTo(ResponseCode.CREATED);

        CoapReply reply = gateway.transport.post(registeredFrom.get(), true, "/locks/12", Map.of("pulseMs", 400),
                Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);

        assertThat(reply.body().path("outcome").asText()).isEqualTo("opened");
        assertThat(received.get()).isEqualTo("{\"pulseMs\":400}");
        client.shutdown();
    }

    @Test
    void posting_over_dtls_to_a_peer_without_a_session_fails_at_once() {
        CompletableFuture<CoapReply> future = gateway.transport.post(new InetSocketAddress("127.0.0.1", 9),
                true, "/locks/1", null, Duration.ofSeconds(3));

        assertThatThrownBy(() -> future.get(2, TimeUnit.SECONDS))
                .cause().isInstanceOf(CoapRequestException.class)
                .hasMessageContaining("coaps://127.0.0.1:9/locks/1")
                .matches(e -> ((CoapRequestException) e).reason() == CoapRequestException.Reason.SEND_FAILED);
    }

    @Test
    void a_port_in_use_leaves_that_endpoint_out_with_one_error_line() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                LogCapture log = new LogCapture()) {
            TransportSettings settings = TransportSettings.loopback().withPorts(taken.getLocalPort(), 0);
            try (TestGateway second = new TestGateway(settings, data.resolve("second"))) {
                assertThat(second.transport.localAddress(false)).isEmpty();
                assertThat(second.transport.localAddress(true)).isPresent();
                assertThat(log.lines("ERROR")).singleElement().asString()
                        .contains("udp 127.0.0.1:" + taken.getLocalPort(), "LOCKERGATE_COAP_PORT", "port in use");
                assertThat(log.lines("CoAP listening on")).singleElement().asString()
                        .contains("CoAP 监听 / CoAP listening on -, CoAPs (DTLS-PSK) on udp 127.0.0.1:");
                CompletableFuture<CoapReply> future = second.transport.post(gateway.plainAddress(), false, "/x", null,
                        Duration.ofSeconds(1));
                assertThatThrownBy(future::join).cause()
                        .matches(e -> ((CoapRequestException) e).reason() == CoapRequestException.Reason.NO_ENDPOINT);
            }
        }
    }

    private boolean attempt(CoapClient client) {
        client.setTimeout(1500L); // the failed handshake shows as no answer (or a send error)
        try {
            return client.post("{}", MediaTypeRegistry.APPLICATION_JSON) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private CoapClient dtlsClient(String identity, byte[] key, String path) {
        CoapClient client = new CoapClient(URI.create("coaps://127.0.0.1:" + gateway.secureAddress().getPort() + path));
        client.setEndpoint(dtlsEndpoint(identity, key));
        client.setTimeout(3000L);
        return client;
    }

    private CoapEndpoint dtlsEndpoint(String identity, byte[] key) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
                .build();
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls)).build();
        gateway.track(endpoint);
        return endpoint;
    }

    private static CoapResource locks(AtomicReference<String> received) {
        CoapResource locks = new CoapResource("locks");
        locks.add(new CoapResource("12") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                received.set(new String(exchange.getRequestPayload(), StandardCharsets.UTF_8));
                exchange.respond(ResponseCode.CHANGED, "{\"outcome\":\"opened\"}", MediaTypeRegistry.APPLICATION_JSON);
            }
        });
        return locks;
    }
}
