package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapReply;
import org.lockergate.transport.coap.CoapResponseCode;

/** Raw (non-JSON) bodies both ways, larger than one message: Block2 answers and Block1 requests (RFC 7959). */
class RawBodiesTest {

    @TempDir
    Path data;

    private TestGateway gateway;
    private CoapServer device;
    private final byte[] big = new byte[20_000];

    @BeforeEach
    void start() throws Exception {
        gateway = new TestGateway(data);
        new Random(5).nextBytes(big);
    }

    @AfterEach
    void stop() {
        if (device != null) {
            device.destroy();
        }
        gateway.close();
    }

    @Test
    void a_handler_answers_raw_bytes_in_block2_blocks() throws Exception {
        gateway.register(call -> call.respondBytes(CoapResponseCode.CONTENT, big, 42), "/media/{id}", "GET", false);
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 20); // the client's own limit (8 KiB by default)
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        gateway.track(endpoint);
        org.eclipse.californium.core.CoapClient client = new org.eclipse.californium.core.CoapClient(
                gateway.uri("/media/a"));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        CoapResponse response = client.get();
        client.shutdown();
        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(response.getOptions().getContentFormat()).isEqualTo(42);
        assertThat(response.getPayload()).isEqualTo(big);
    }

    @Test
    void request_bytes_goes_to_the_device_in_block1_blocks() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 20);
        device = new CoapServer(config);
        device.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build());
        device.add(new CoapResource("fw") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                received.set(exchange.getRequestPayload());
                assertThat(exchange.getRequestOptions().getContentFormat()).isEqualTo(42);
                exchange.respond(ResponseCode.CHANGED, "{\"ok\":true}", 50);
            }
        });
        device.start();
        InetSocketAddress address = device.getEndpoints().get(0).getAddress();
        CoapReply reply = gateway.transport.requestBytes(CoapMethod.POST, address, false, "/fw?version=2", big, 42,
                Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        assertThat(reply.code()).isEqualTo(CoapResponseCode.CHANGED);
        assertThat(reply.body().path("ok").asBoolean()).isTrue();
        assertThat(received.get()).isEqualTo(big);
    }
}
