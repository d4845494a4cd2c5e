package org.lockergate.devices.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void help_explains_every_option_in_chinese_and_english() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(help).contains("柜体模拟器", "cabinet simulator", "--gateway", "--cabinet", "--group",
                "--compartments", "--psk-identity", "--psk-key-hex", "--traffic", "--courier", "--pin",
                "--notifications", "--rate", "--loss", "--jam", "--slow", "--cycles", "--kiosk-psk-key-hex");
    }

    @Test
    void options_are_parsed_with_and_without_equals_sign() {
        Map<String, String> options = Main.parse(new String[] {"--cabinet", "c1", "--group=g1", "--traffic"});

        assertThat(options).containsEntry("--cabinet", "c1").containsEntry("--group", "g1")
                .containsEntry("--traffic", "true");
        assertThatThrownBy(() -> Main.parse(new String[] {"--colour", "red"})).hasMessageContaining("--colour");
        assertThatThrownBy(() -> Main.parse(new String[] {"--cabinet"})).hasMessageContaining("--cabinet");
    }

    @Test
    void a_missing_cabinet_is_a_usage_error() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"--group", "g1"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--cabinet");
    }

    @Test
    void bind_addresses_take_an_optional_port() {
        assertThat(Main.address("127.0.0.1")).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
        assertThat(Main.address("0.0.0.0:5700")).isEqualTo(new InetSocketAddress("0.0.0.0", 5700));
    }
}
