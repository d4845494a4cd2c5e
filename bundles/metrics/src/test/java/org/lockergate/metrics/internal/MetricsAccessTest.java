package org.lockergate.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.lockergate.metrics.internal.MetricsAccess.Verdict;

class MetricsAccessTest {

    private static final String TOKEN = "scrape-secret-0123456789";

    /** Knows "tech-token" (technician) and "zto-token" (courier company). */
    static IdentityService identity() {
        return (IdentityService) Proxy.newProxyInstance(IdentityService.class.getClassLoader(),
                new Class<?>[] {IdentityService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("authenticate")) {
                        return switch ((String) args[0]) {
                            case "tech-token" -> Optional.of(new Operator("tech", Set.of(Role.TECHNICIAN), null));
                            case "zto-token" -> Optional.of(new Operator("zto", Set.of(Role.COURIER_COMPANY), "ZTO"));
                            default -> Optional.empty();
                        };
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private final MetricsAccess access = new MetricsAccess(HexFormat.of().formatHex(MetricsAccess.sha256(TOKEN)));

    @Test
    void loopback_is_anonymous_in_ipv4_and_ipv6() {
        assertThat(access.check("127.0.0.1", null, null)).isEqualTo(Verdict.ALLOWED);
        assertThat(access.check("::1", null, null)).isEqualTo(Verdict.ALLOWED);
        assertThat(access.check("0:0:0:0:0:0:0:1", null, null)).isEqualTo(Verdict.ALLOWED);
        assertThat(access.check("[::1]", null, null)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void other_addresses_need_a_token() {
        assertThat(access.check("192.168.1.20", null, identity())).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(access.check("192.168.1.20", "Bearer wrong", identity())).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(access.check("192.168.1.20", "Basic dXNlcjpwdw==", identity())).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(access.check("localhost", null, identity())).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(access.check("fe80::1", null, identity())).isEqualTo(Verdict.UNAUTHORIZED);
    }

    @Test
    void the_configured_token_or_a_staff_operators_token_is_accepted() {
        assertThat(access.check("10.0.0.5", "Bearer " + TOKEN, null)).isEqualTo(Verdict.ALLOWED);
        assertThat(access.check("10.0.0.5", "bearer tech-token", identity())).isEqualTo(Verdict.ALLOWED);
        assertThat(access.check("10.0.0.5", "Bearer zto-token", identity())).isEqualTo(Verdict.FORBIDDEN);
        assertThat(new MetricsAccess("").check("10.0.0.5", "Bearer " + TOKEN, identity()))
                .isEqualTo(Verdict.UNAUTHORIZED);
    }

    @Test
    void a_token_hash_that_is_not_sha256_hex_is_refused_at_configuration() {
        assertThatThrownBy(() -> new MetricsAccess("plain-token")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }
}
