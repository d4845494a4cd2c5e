package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the DS component turns configuration and framework properties into settings. */
class ComponentSettingsTest {

    @Test
    void ports_come_from_the_framework_properties_then_the_defaults() {
        TransportSettings fromFramework = CoapTransportComponent.settings(config(-1, -1, true), "0", "15684");
        TransportSettings defaults = CoapTransportComponent.settings(config(-1, -1, true), null, " ");

        assertThat(fromFramework.port()).isZero();
        assertThat(fromFramework.securePort()).isEqualTo(15684);
        assertThat(defaults.port()).isEqualTo(5683);
        assertThat(defaults.securePort()).isEqualTo(5684);
        assertThat(defaults.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(defaults.maxPayloadBytes()).isEqualTo(8192);
        assertThat(defaults.handlerThreads()).isEqualTo(16);
        assertThat(defaults.handlerQueue()).isEqualTo(1024);
    }

    @Test
    void a_configured_port_wins_and_a_bad_variable_turns_only_that_endpoint_off() {
        TransportSettings configured = CoapTransportComponent.settings(config(7000, 7001, true), "0", "0");
        TransportSettings bad;
        try (LogCapture log = new LogCapture()) {
            bad = CoapTransportComponent.settings(config(-1, -1, true), "coap", "5684");
            assertThat(log.lines("ERROR")).singleElement().asString()
                    .contains("lockergate.coap.port", "LOCKERGATE_COAP_PORT", "'coap'");
        }

        assertThat(configured.port()).isEqualTo(7000);
        assertThat(configured.securePort()).isEqualTo(7001);
        assertThat(bad.port()).isNull();
        assertThat(bad.securePort()).isEqualTo(5684);
        assertThat(CoapTransportComponent.settings(config(-1, -1, false), null, null).securePort()).isNull();
    }

    @Test
    void the_psk_file_lives_in_the_data_folder_unless_configured() {
        assertThat(CoapTransportComponent.pskPath(config(-1, -1, true), "/var/lib/lockergate"))
                .isEqualTo(Path.of("/var/lib/lockergate/secrets/coap-psk.properties"));
    }

    private static CoapTransportComponent.Config config(int port, int securePort, boolean secure) {
        return new CoapTransportComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoapTransportComponent.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public int securePort() {
                return securePort;
            }

            @Override
            public String bindAddress() {
                return "0.0.0.0";
            }

            @Override
            public boolean secureEnabled() {
                return secure;
            }

            @Override
            public int maxPayloadBytes() {
                return 8192;
            }

            @Override
            public int handlerThreads() {
                return 16;
            }

            @Override
            public int handlerQueue() {
                return 1024;
            }

            @Override
            public String pskFile() {
                return "";
            }
        };
    }
}
