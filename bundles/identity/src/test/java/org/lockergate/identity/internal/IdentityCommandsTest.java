package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.identity.PasswordPolicyException;

class IdentityCommandsTest {

    private static final String OLD = "old-Passw0rd";
    private static final String NEW = "new-Passw0rd-2025";

    @TempDir
    Path dataDir;

    private final PasswordHasher hasher = Fakes.fastHasher();
    private final Fakes.RecordingLogger log = new Fakes.RecordingLogger();
    private final IdentityServiceImpl identity =
            new IdentityServiceImpl(Settings.defaults(), Clock.systemUTC(), hasher, log.logger);
    private final IdentityCommands commands = new IdentityCommands(identity, hasher, SESSIONS);

    @Test
    void operators_lists_names_roles_and_company_but_never_hashes() throws Exception {
        String hash = hasher.hash("pw".toCharArray());
        identity.add(OperatorAccount.fromConfig("cfg.1", "ann", hash, new String[] {"technician", "admin"}, null));
        identity.add(OperatorAccount.fromConfig("cfg.2", "zto", hash, new String[] {"courier-company"}, "ZTO"));

        String listing = commands.operators();

        assertThat(listing.lines()).hasSize(3);
        assertThat(listing.lines().skip(1)).satisfiesExactly(
                ann -> assertThat(ann).startsWith("ann").contains("admin,technician"),
                zto -> assertThat(zto).startsWith("zto").contains("courier-company").endsWith("ZTO"));
        assertThat(listing).doesNotContain("argon2").doesNotContain(hash.substring(hash.lastIndexOf('$') + 1));
    }

    @Test
    void operators_says_so_when_there_are_none() {
        assertThat(commands.operators()).contains("No operators configured");
    }

    @Test
    void hash_prints_a_hash_that_verifies() {
        String phc = commands.hash("correct horse");

        assertThat(hasher.verify("correct horse".toCharArray(), PhcHash.parse(phc))).isTrue();
    }

    // --- identity:passwd ---

    @Test
    void passwd_on_the_local_console_resets_the_password_and_warns_about_the_history() throws Exception {
        Setup setup = new Setup();
        Session local = new Session(null);

        String result = setup.commands.passwd(local.session, "bob", NEW);

        assertThat(result).contains("Password of bob reset");
        assertThat(local.console()).contains("may remain in the shell history");
        assertThat(setup.identity.verify("bob", NEW.toCharArray(), "test").username()).isEqualTo("bob");
        assertThat(setup.log.lines).contains("INFO Password of operator 'bob' reset by admin '(local console)'; all "
                + "its sessions have ended");
    }

    @Test
    void passwd_on_the_remote_shell_works_for_an_admin() throws Exception {
        Setup setup = new Setup();

        setup.commands.passwd(new Session("Root").session, "bob", NEW);

        assertThat(setup.identity.verify("bob", NEW.toCharArray(), "test").username()).isEqualTo("bob");
        assertThat(setup.log.lines).anyMatch(line -> line.contains("reset by admin 'root'"));
    }

    @Test
    void passwd_on_the_remote_shell_is_refused_for_a_technician() throws Exception {
        Setup setup = new Setup();
        Session technician = new Session("alice");

        assertThatThrownBy(() -> setup.commands.passwd(technician.session, "bob", NEW))
                .isInstanceOf(SecurityException.class)
                .hasMessage("只有管理员可以重置密码（当前登录：alice）/ Only an admin may reset passwords (logged in as alice)");
        assertThat(technician.console()).contains("may remain in the shell history");
        assertThat(setup.identity.verify("bob", OLD.toCharArray(), "test").username()).isEqualTo("bob");
    }

    @Test
    void passwd_on_the_remote_shell_is_refused_for_a_user_name_that_is_no_operator() throws Exception {
        Setup setup = new Setup();

        assertThatThrownBy(() -> setup.commands.passwd(new Session("ghost").session, "bob", NEW))
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void passwd_cannot_be_unlocked_by_overwriting_session_variables() throws Exception {
        Setup setup = new Setup();
        Session technician = new Session("alice");
        technician.variables.put(IdentityCommands.USER_VARIABLE, "root");
        technician.variables.remove(IdentityCommands.USER_VARIABLE);

        assertThatThrownBy(() -> setup.commands.passwd(technician.session, "root", NEW))
                .isInstanceOf(SecurityException.class);
        technician.variables.put(IdentityCommands.USER_VARIABLE, "root");
        assertThatThrownBy(() -> setup.commands.passwd(technician.session, "root", NEW))
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void passwd_reports_what_the_identity_service_refuses() throws Exception {
        Setup setup = new Setup();
        Session local = new Session(null);

        assertThatThrownBy(() -> setup.commands.passwd(local.session, "bob", "short"))
                .isInstanceOf(PasswordPolicyException.class)
                .hasMessage("新密码至少 10 个字符 / The new password must have at least 10 characters");
        assertThatThrownBy(() -> setup.commands.passwd(local.session, "nobody", NEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No operator has the user name nobody");
    }

    @Test
    void passwd_without_a_password_says_how_to_call_it() {
        assertThatThrownBy(() -> commands.passwd(new Session(null).session, "bob"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identity:passwd <username> <newPassword>");
    }

    /** Operators root (admin), alice (technician) and bob (property) stored in a fake ConfigAdmin. */
    private final class Setup {
        final Fakes.RecordingLogger log = new Fakes.RecordingLogger();
        final IdentityServiceImpl identity = new IdentityServiceImpl(Settings.defaults(), Clock.systemUTC(), hasher,
                log.logger, dataDir, Duration.ofSeconds(5));
        final IdentityCommands commands = new IdentityCommands(identity, hasher, SESSIONS);

        Setup() throws Exception {
            Fakes.ConfigAdmin configAdmin = new Fakes.ConfigAdmin().restartOperatorsIn(identity, log.logger, Runnable::run);
            identity.configAdmin = configAdmin;
            for (String[] operator : new String[][] {{"root", "admin"}, {"alice", "technician"}, {"bob", "property"}}) {
                configAdmin.addOperator(Map.of("username", operator[0], "passwordHash", hasher.hash(OLD.toCharArray()),
                        "roles", new String[] {operator[1]}));
            }
        }
    }

    /** Remote sessions of these tests, bound like the remote shell binds them. */
    private static final ShellSessionRegistry SESSIONS = new ShellSessionRegistry();

    /** A Gogo session: the remote shell binds it to its operator, the local console is never bound. */
    private static final class Session {
        final Map<String, Object> variables = new HashMap<>();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final CommandSession session;

        Session(String user) {
            if (user != null) {
                variables.put(IdentityCommands.USER_VARIABLE, user);
                variables.put("lockergate.origin", "127.0.0.1");
            }
            PrintStream console = new PrintStream(output, true, StandardCharsets.UTF_8);
            session = (CommandSession) Proxy.newProxyInstance(CommandSession.class.getClassLoader(),
                    new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "get" -> variables.get((String) args[0]);
                        case "put" -> variables.put((String) args[0], args[1]);
                        case "getConsole" -> console;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "Session" + variables;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            if (user != null) {
                SESSIONS.bind(session, new org.lockergate.identity.Operator(user,
                        java.util.Set.of(org.lockergate.identity.Role.PROPERTY), null));
            }
        }

        String console() {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
