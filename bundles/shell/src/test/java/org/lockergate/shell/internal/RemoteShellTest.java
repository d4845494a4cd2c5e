package org.lockergate.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockergate.identity.Role;

/** How the component turns its configuration and the framework property into settings. */
class RemoteShellTest {

    private final RecordingLog log = new RecordingLog();

    /** A configuration with the declared defaults, except the given values (as DS would build it). */
    private static RemoteShell.Config config(Map<String, Object> values) {
        return (RemoteShell.Config) Proxy.newProxyInstance(RemoteShell.Config.class.getClassLoader(),
                new Class<?>[] {RemoteShell.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void without_port_and_framework_property_the_shell_is_off_and_says_so() {
        Optional<ShellSettings> settings = RemoteShell.settings(config(Map.of()), null, log);

        assertThat(settings).isEmpty();
        assertThat(log.lines).containsExactly("INFO Remote shell is off (set LOCKERGATE_SHELL_PORT to turn it on)");
    }

    @Test
    void the_framework_property_gives_the_port_and_zero_means_ephemeral() {
        ShellSettings settings = RemoteShell.settings(config(Map.of()), "0", log).orElseThrow();

        assertThat(settings.port()).isZero();
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.maxSessions()).isEqualTo(4);
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.allowedRoles()).containsExactlyInAnyOrder(Role.ADMIN, Role.TECHNICIAN);
        assertThat(settings.maxLoginAttempts()).isEqualTo(3);
    }

    @Test
    void a_configured_port_wins_over_the_framework_property() {
        ShellSettings settings = RemoteShell.settings(config(Map.of("port", 2222)), "3333", log).orElseThrow();

        assertThat(settings.port()).isEqualTo(2222);
    }

    @Test
    void a_framework_property_that_is_no_port_is_an_error_and_the_shell_stays_off() {
        assertThat(RemoteShell.settings(config(Map.of()), "twenty-two", log)).isEmpty();
        assertThat(RemoteShell.settings(config(Map.of()), "70000", log)).isEmpty();

        assertThat(log.at("ERROR")).hasSize(2).allMatch(line -> line.contains("LOCKERGATE_SHELL_PORT"));
    }

    @Test
    void unknown_roles_are_ignored_with_a_warning() {
        ShellSettings settings = RemoteShell.settings(
                config(Map.of("allowedRoles", new String[] {"Technician", "janitor"})), "0", log).orElseThrow();

        assertThat(settings.allowedRoles()).containsExactly(Role.TECHNICIAN);
        assertThat(log.at("WARN")).containsExactly(
                "WARN Remote shell: ignoring unknown role 'janitor' in allowedRoles");
    }

    @Test
    void impossible_limits_are_raised_to_one() {
        ShellSettings settings = RemoteShell.settings(
                config(Map.of("maxSessions", 0, "idleTimeoutMinutes", -5)), "0", log).orElseThrow();

        assertThat(settings.maxSessions()).isEqualTo(1);
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(log.at("WARN")).hasSize(2);
    }
}
