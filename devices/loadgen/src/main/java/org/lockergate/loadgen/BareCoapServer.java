package org.lockergate.loadgen;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The bare-library baseline of the CoAP half, in its own JVM (bench.sh gives it the distribution's JVM flags, like
 * the gateway): a Californium 3.13 server with its standard configuration on {@code 0.0.0.0:port} (0 = any) answering
 * {@code POST /bench} with 2.04 and a small JSON body, on Californium's own protocol threads — no routing, no handler
 * pool, no store. Prints {@code BARE_COAP_PORT n} and runs until it is killed (SIGTERM).
 */
public final class BareCoapServer {

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Args args = new Args(argv);
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        CoapServer server = new CoapServer(config);
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("0.0.0.0", args.integer("port", 0))).build();
        server.addEndpoint(endpoint);
        byte[] answer = "{\"parcelId\":\"6f1c2a9e-bench\",\"unlock\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        server.add(new CoapResource("bench") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CHANGED, answer, MediaTypeRegistry.APPLICATION_JSON);
            }
        });
        server.start();
        System.out.println("BARE_COAP_PORT " + endpoint.getAddress().getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        Thread.currentThread().join(); // until killed (SIGTERM)
    }
}
