package org.lockergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdWatchdogTest {

    @Test
    void pingsOnlyWhileTheHealthEndpointAnswers() throws Exception {
        List<List<String>> sent = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/health", exchange -> {
            exchange.sendResponseHeaders(503, -1); // DOWN is an answer: not hung
            exchange.close();
        });
        server.start();
        try {
            SystemdWatchdog watchdog = new SystemdWatchdog(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/api/v1/health"), 0, sent::add);
            watchdog.ready();
            assertThat(watchdog.pingIfAlive()).isTrue();
        } finally {
            server.stop(0);
        }
        assertThat(sent).containsExactly(List.of("READY=1", "STATUS=LockerGate ready"), List.of("WATCHDOG=1"));

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SystemdWatchdog hung = new SystemdWatchdog(URI.create("http://127.0.0.1:" + closed + "/api/v1/health"), 0,
                sent::add);
        assertThat(hung.pingIfAlive()).isFalse();
        assertThat(sent).hasSize(2);
    }

    @Test
    void onlyUnderSystemd() {
        assertThat(SystemdWatchdog.fromEnvironment(Map.of(), 8080)).isNull();
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "90000000"), 8080)).isNotNull();
        assertThat(Main.port("http://192.0.2.2:18080/", 0)).isEqualTo(18080);
    }
}
