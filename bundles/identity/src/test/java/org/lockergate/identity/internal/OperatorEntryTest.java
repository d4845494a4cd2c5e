package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.framework.Constants;

/** Operator configurations as DS hands them over: invalid ones are refused one by one, with one log line each. */
class OperatorEntryTest {

    private final PasswordHasher hasher = Fakes.fastHasher();
    private final Fakes.RecordingLogger log = new Fakes.RecordingLogger();
    private IdentityServiceImpl identity;
    private String hash;

    @BeforeEach
    void setUp() {
        identity = new IdentityServiceImpl(Settings.defaults(), Clock.systemUTC(), hasher, log.logger);
        hash = hasher.hash("pw".toCharArray());
    }

    @Test
    void valid_configuration_adds_the_operator() {
        activate("cfg.1", Map.of("username", "zto", "passwordHash", hash,
                "roles", new String[] {"courier-company"}, "company", "ZTO"));

        assertThat(identity.operators()).containsExactly(new Operator("zto", Set.of(Role.COURIER_COMPANY), "ZTO"));
        assertThat(log.lines).isEmpty();
    }

    @Test
    void configuration_without_roles_is_refused() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[0]));

        assertThat(identity.operators()).isEmpty();
        assertThat(log.lines).containsExactly("ERROR Operator configuration cfg.1 refused: user 'ann' has no roles");
    }

    @Test
    void configuration_with_an_unknown_role_is_refused() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[] {"admin", "root"}));

        assertThat(log.lines).containsExactly("ERROR Operator configuration cfg.1 refused: user 'ann' has unknown "
                + "role 'root' (known: admin, technician, property, courier-company)");
    }

    @Test
    void courier_company_viewer_without_company_is_refused() {
        activate("cfg.1", Map.of("username", "zto", "passwordHash", hash, "roles", new String[] {"courier-company"}));

        assertThat(log.lines).containsExactly(
                "ERROR Operator configuration cfg.1 refused: user 'zto' has role courier-company but no company");
    }

    @Test
    void malformed_hash_is_refused_naming_the_user_but_not_the_hash() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", "$argon2id$v=19$m=19456$abc",
                "roles", new String[] {"admin"}));

        assertThat(log.lines).singleElement().asString()
                .startsWith("ERROR Operator configuration cfg.1 refused: user 'ann' has a malformed passwordHash (")
                .doesNotContain("abc");
    }

    @Test
    void plain_text_password_in_the_hash_field_is_refused_without_logging_it() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", "hunter2", "roles", new String[] {"admin"}));

        assertThat(log.lines).singleElement().asString().contains("malformed passwordHash").doesNotContain("hunter2");
    }

    @Test
    void configuration_without_username_is_refused() {
        activate("cfg.1", Map.of("passwordHash", hash, "roles", new String[] {"admin"}));

        assertThat(log.lines).containsExactly("ERROR Operator configuration cfg.1 refused: username is missing");
    }

    @Test
    void one_invalid_configuration_does_not_stop_the_others() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[] {"admin"}));
        activate("cfg.2", Map.of("username", "bad", "passwordHash", hash, "roles", new String[] {"boss"}));
        activate("cfg.3", Map.of("username", "ben", "passwordHash", hash, "roles", new String[] {"property"}));

        assertThat(identity.operators()).extracting(Operator::username).containsExactly("ann", "ben");
        assertThat(log.lines).hasSize(1).allMatch(line -> line.contains("cfg.2"));
    }

    @Test
    void roles_may_be_one_comma_separated_string_in_any_case() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[] {"Admin, technician"}));

        assertThat(identity.operators().get(0).roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.TECHNICIAN);
    }

    @Test
    void company_is_ignored_for_roles_that_see_every_company() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[] {"property"},
                "company", "ZTO"));

        assertThat(identity.operators().get(0).company()).isNull();
    }

    @Test
    void deactivation_removes_the_operator() {
        OperatorEntry entry = activate("cfg.1", Map.of("username", "ann", "passwordHash", hash,
                "roles", new String[] {"admin"}));

        entry.deactivate();

        assertThat(identity.operators()).isEmpty();
    }

    @Test
    void deactivating_a_refused_configuration_leaves_the_holder_of_its_name_alone() {
        activate("cfg.1", Map.of("username", "ann", "passwordHash", hash, "roles", new String[] {"admin"}));
        OperatorEntry duplicate = activate("cfg.2", Map.of("username", "ann", "passwordHash", hash,
                "roles", new String[] {"property"}));

        duplicate.deactivate();

        assertThat(identity.operators()).extracting(Operator::username).containsExactly("ann");
        assertThat(log.lines).containsExactly(
                "ERROR Operator configuration cfg.2 refused: user name 'ann' is already used by configuration cfg.1");
    }

    @Test
    void username_with_spaces_is_refused() {
        InvalidOperatorException refused = catchThrowableOfType(InvalidOperatorException.class,
                () -> OperatorAccount.fromConfig("cfg.1", "ann smith", hash, new String[] {"admin"}, null));

        assertThat(refused).hasMessageContaining("username 'ann smith' must be");
    }

    private OperatorEntry activate(String pid, Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.put(Constants.SERVICE_PID, pid);
        OperatorEntry entry = new OperatorEntry(identity, log.logger);
        entry.activate(Fakes.config(OperatorConfig.class, config), properties);
        return entry;
    }
}
