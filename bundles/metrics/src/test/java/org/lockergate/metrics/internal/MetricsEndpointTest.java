package org.lockergate.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The servlet in a real Jetty 12 on 127.0.0.1: a scrape over a socket, as Prometheus does it. */
class MetricsEndpointTest {

    @Test
    void a_loopback_scrape_answers_the_text_format_with_the_counters() throws Exception {
        MetricsComponent component = new MetricsComponent();
        component.metrics().parcelChanged("g1", "DEPOSITED");
        MetricsServlet servlet = new MetricsServlet();
        servlet.component = component;
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), MetricsServlet.PATH);
        server.setHandler(context);
        server.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(response.body()).contains("lockergate_deposits_total{group=\"g1\"} 1.0")
                    .contains("jvm_memory_used_bytes");
        } finally {
            server.stop();
        }
    }
}
