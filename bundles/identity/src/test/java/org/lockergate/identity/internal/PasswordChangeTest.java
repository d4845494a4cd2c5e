package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.Operator;
import org.lockergate.identity.OperatorDefinedInFileException;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.Role;

/** Password changes and resets, stored through a fake ConfigAdmin whose updates restart the operator as SCR would. */
class PasswordChangeTest {

    private static final String OLD = "old-Passw0rd";
    private static final String NEW = "new-Passw0rd-2025";
    private static final String ORIGIN = "192.0.2.10";
    private static final String FILE_URL =
            "file:/opt/lockergate/conf/config/org.lockergate.identity.user-carol.config";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));
    private final PasswordHasher hasher = Fakes.fastHasher();
    private final Fakes.RecordingLogger log = new Fakes.RecordingLogger();
    private final Fakes.ConfigAdmin configAdmin = new Fakes.ConfigAdmin();
    private IdentityServiceImpl identity;
    private Fakes.ConfigAdmin.FakeConfiguration alice;
    private Fakes.ConfigAdmin.FakeConfiguration bob;
    private Fakes.ConfigAdmin.FakeConfiguration admin;

    @BeforeEach
    void setUp() throws Exception {
        identity = service(Duration.ofSeconds(5));
        configAdmin.restartOperatorsIn(identity, log.logger, Runnable::run);
        alice = configAdmin.addOperator(operator("alice", "technician"));
        bob = configAdmin.addOperator(operator("bob", "property"));
        admin = configAdmin.addOperator(operator("admin", "admin"));
        assertThat(identity.operators()).extracting(Operator::username).containsExactly("admin", "alice", "bob");
    }

    // --- changePassword ---

    @Test
    void the_new_hash_goes_into_the_operators_configuration_and_only_the_new_password_works() throws Exception {
        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(alice.updates).isEqualTo(2);
        String stored = (String) alice.stored("passwordHash");
        assertThat(hasher.verify(NEW.toCharArray(), PhcHash.parse(stored))).isTrue();
        assertThat(alice.stored("username")).isEqualTo("alice");
        assertThat(alice.stored("roles")).isEqualTo(new String[] {"technician"});
        assertThat(bob.updates).isEqualTo(1);

        assertThat(identity.login("alice", NEW.toCharArray(), ORIGIN).operator().roles())
                .containsExactly(Role.TECHNICIAN);
        assertThat(failLogin("alice", OLD).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void the_change_is_logged_at_info_without_any_password() throws Exception {
        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(log.lines).contains(
                "INFO Password of operator 'alice' changed (from 192.0.2.10); all its sessions have ended");
        assertThat(log.lines).noneMatch(line -> line.contains(OLD) || line.contains(NEW) || line.contains("$argon2"));
    }

    @Test
    void every_token_of_the_operator_ends_and_other_operators_keep_theirs() throws Exception {
        String first = identity.login("alice", OLD.toCharArray(), ORIGIN).token();
        String second = identity.login("alice", OLD.toCharArray(), "198.51.100.7").token();
        String bobs = identity.login("bob", OLD.toCharArray(), ORIGIN).token();

        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(identity.authenticate(first)).isEmpty();
        assertThat(identity.authenticate(second)).isEmpty();
        assertThat(identity.authenticate(bobs)).isPresent();
    }

    @Test
    void tokens_end_at_once_even_before_the_component_restarts() throws Exception {
        identity = service(Duration.ofMillis(200));
        configAdmin.restartOperatorsIn(identity, log.logger, task -> {}); // SCR never gets to it
        configAdmin.addOperator(operator("dave", "technician"));
        identity.add(OperatorAccount.fromConfig(pidOf("dave"), "dave", hasher.hash(OLD.toCharArray()),
                new String[] {"technician"}, null));
        String token = identity.login("dave", OLD.toCharArray(), ORIGIN).token();

        identity.changePassword("dave", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(identity.authenticate(token)).isEmpty();
        // the configuration is stored; without a restart the service applies the new hash itself
        assertThat(identity.login("dave", NEW.toCharArray(), ORIGIN).operator().username()).isEqualTo("dave");
        assertThat(failLogin("dave", OLD).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(log.lines).anyMatch(line -> line.startsWith("WARN Operator configuration " + pidOf("dave")
                + " was not reloaded within 200 ms"));
    }

    @Test
    void a_change_returns_once_the_operator_is_restarted_so_a_new_login_keeps_its_token() throws Exception {
        configAdmin.restartOperatorsIn(identity, log.logger,
                task -> CompletableFuture.runAsync(task, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));

        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);
        String token = identity.login("alice", NEW.toCharArray(), ORIGIN).token();

        Thread.sleep(100);
        assertThat(identity.authenticate(token)).isPresent();
        assertThat(log.lines).noneMatch(line -> line.contains("not reloaded"));
    }

    @Test
    void a_wrong_current_password_is_refused_like_a_failed_login_and_changes_nothing() throws Exception {
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> identity.changePassword("alice", "not-the-password".toCharArray(), NEW.toCharArray(), ORIGIN));

        assertThat(refused.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(refused.attemptsLeft()).isEqualTo(4);
        assertThat(alice.updates).isEqualTo(1);
        assertThat(failLogin("alice", "still-wrong").attemptsLeft()).isEqualTo(3); // it counted
        assertThat(log.lines).contains(
                "WARN Password change of user name 'alice' from 192.0.2.10 refused: wrong current password");
        assertThat(identity.login("alice", OLD.toCharArray(), ORIGIN)).isNotNull();
    }

    @Test
    void repeated_wrong_current_passwords_lock_the_user_name_for_logins_too() throws Exception {
        for (int i = 0; i < 4; i++) {
            catchThrowableOfType(AuthenticationException.class,
                    () -> identity.changePassword("alice", "guess".toCharArray(), NEW.toCharArray(), ORIGIN));
        }
        AuthenticationException fifth = catchThrowableOfType(AuthenticationException.class,
                () -> identity.changePassword("alice", "guess".toCharArray(), NEW.toCharArray(), ORIGIN));
        assertThat(fifth.reason()).isEqualTo(Reason.LOCKED);
        assertThat(fifth.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));

        AuthenticationException rightButLocked = catchThrowableOfType(AuthenticationException.class,
                () -> identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), "203.0.113.5"));
        assertThat(rightButLocked.reason()).isEqualTo(Reason.LOCKED);
        assertThat(failLogin("alice", OLD).reason()).isEqualTo(Reason.LOCKED);
        assertThat(alice.updates).isEqualTo(1);
        assertThat(log.lines).contains(
                "WARN Password change of user name 'alice' from 203.0.113.5 refused: user name or origin locked");
    }

    @Test
    void a_weak_new_password_is_refused_before_the_current_one_is_checked() throws Exception {
        PasswordPolicyException refused = catchThrowableOfType(PasswordPolicyException.class,
                () -> identity.changePassword("alice", "wrong".toCharArray(), "short".toCharArray(), ORIGIN));

        assertThat(refused.reason()).isEqualTo(PasswordPolicyException.Reason.TOO_SHORT);
        assertThat(refused).hasMessageStartingWith("新密码至少 10 个字符 / ");
        assertThat(alice.updates).isEqualTo(1);
        assertThat(failLogin("alice", "wrong").attemptsLeft()).isEqualTo(4); // no attempt was used
        assertThat(log.lines).contains("WARN Password change of user name 'alice' from 192.0.2.10 refused: "
                + "the new password breaks the policy (TOO_SHORT)");
    }

    @Test
    void the_user_name_and_obvious_passwords_are_refused() throws Exception {
        configAdmin.addOperator(operator("technician1", "technician"));

        assertThat(catchThrowableOfType(PasswordPolicyException.class,
                () -> identity.changePassword("technician1", OLD.toCharArray(), "Technician1".toCharArray(), ORIGIN))
                .reason()).isEqualTo(PasswordPolicyException.Reason.SAME_AS_USERNAME);
        assertThat(catchThrowableOfType(PasswordPolicyException.class,
                () -> identity.changePassword("admin", OLD.toCharArray(), "Admin12345".toCharArray(), ORIGIN))
                .reason()).isEqualTo(PasswordPolicyException.Reason.TOO_COMMON);
        assertThat(admin.updates).isEqualTo(1);
    }

    @Test
    void an_operator_defined_in_a_file_is_refused_with_the_files_path() throws Exception {
        Fakes.ConfigAdmin.FakeConfiguration carol = configAdmin.addOperator(Map.of("username", "carol",
                "passwordHash", hasher.hash(OLD.toCharArray()), "roles", new String[] {"technician"},
                IdentityServiceImpl.FILEINSTALL_FILENAME, FILE_URL));
        String token = identity.login("carol", OLD.toCharArray(), ORIGIN).token();

        OperatorDefinedInFileException refused = catchThrowableOfType(OperatorDefinedInFileException.class,
                () -> identity.changePassword("carol", OLD.toCharArray(), NEW.toCharArray(), ORIGIN));

        String path = "/opt/lockergate/conf/config/org.lockergate.identity.user-carol.config";
        assertThat(refused.file()).isEqualTo(path);
        assertThat(refused.username()).isEqualTo("carol");
        assertThat(refused).hasMessage("此账号由文件 " + path + " 定义，请修改该文件 / This operator is defined in file "
                + path + ": edit that file (bin/lockergate-passwd prints a hash)");
        assertThat(carol.updates).isEqualTo(1);
        assertThat(identity.authenticate(token)).isPresent();
        assertThat(log.lines).contains("WARN Password change of user name 'carol' from 192.0.2.10 refused: "
                + "defined in file " + path);
    }

    @Test
    void the_change_goes_to_the_configuration_in_use_not_to_a_refused_duplicate() throws Exception {
        Fakes.ConfigAdmin.FakeConfiguration duplicate = configAdmin.addOperator(operator("Alice", "admin"));
        assertThat(log.lines).anyMatch(line -> line.contains("already used by configuration " + alice.pid));

        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(alice.updates).isEqualTo(2);
        assertThat(duplicate.updates).isEqualTo(1);
    }

    @Test
    void without_configadmin_nothing_changes_and_the_reason_is_clear() {
        identity.configAdmin = null;

        assertThatThrownBy(() -> identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ConfigurationAdmin");
        assertThat(alice.updates).isEqualTo(1);
    }

    // --- the initial admin password file ---

    @Test
    void changing_admins_password_deletes_the_initial_password_file() throws Exception {
        Path file = initialPasswordFile();

        identity.changePassword("admin", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(file).doesNotExist();
        assertThat(log.lines).contains("INFO Deleted " + file.toAbsolutePath()
                + ": the initial admin password no longer works");
    }

    @Test
    void resetting_admins_password_deletes_the_initial_password_file_too() throws Exception {
        Path file = initialPasswordFile();

        identity.resetPassword("admin", NEW.toCharArray(), new Operator("root", Set.of(Role.ADMIN), null));

        assertThat(file).doesNotExist();
    }

    @Test
    void other_operators_leave_the_initial_password_file_alone() throws Exception {
        Path file = initialPasswordFile();

        identity.changePassword("alice", OLD.toCharArray(), NEW.toCharArray(), ORIGIN);

        assertThat(file).exists();
    }

    @Test
    void a_refused_change_leaves_the_initial_password_file_alone() throws Exception {
        Path file = initialPasswordFile();

        catchThrowableOfType(AuthenticationException.class,
                () -> identity.changePassword("admin", "wrong".toCharArray(), NEW.toCharArray(), ORIGIN));

        assertThat(file).exists();
    }

    // --- resetPassword ---

    @Test
    void an_admin_resets_another_operators_password_and_ends_its_tokens() throws Exception {
        String token = identity.login("bob", OLD.toCharArray(), ORIGIN).token();
        Operator root = new Operator("admin", Set.of(Role.ADMIN), null);

        identity.resetPassword("bob", NEW.toCharArray(), root);

        assertThat(identity.authenticate(token)).isEmpty();
        assertThat(identity.login("bob", NEW.toCharArray(), ORIGIN)).isNotNull();
        assertThat(failLogin("bob", OLD).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(log.lines).contains("INFO Password of operator 'bob' reset by admin 'admin'; all its sessions "
                + "have ended");
    }

    @Test
    void a_reset_unlocks_a_locked_out_operator() throws Exception {
        for (int i = 0; i < 5; i++) {
            failLogin("bob", "guess");
        }
        assertThat(failLogin("bob", OLD).reason()).isEqualTo(Reason.LOCKED);

        identity.resetPassword("bob", NEW.toCharArray(), new Operator("admin", Set.of(Role.ADMIN), null));

        assertThat(identity.login("bob", NEW.toCharArray(), "203.0.113.5")).isNotNull();
    }

    @Test
    void only_an_admin_may_reset() {
        Operator technician = new Operator("alice", Set.of(Role.TECHNICIAN), null);

        assertThatThrownBy(() -> identity.resetPassword("bob", NEW.toCharArray(), technician))
                .isInstanceOf(SecurityException.class).hasMessageContaining("Only an admin");
        assertThatThrownBy(() -> identity.resetPassword("bob", NEW.toCharArray(), null))
                .isInstanceOf(SecurityException.class);
        assertThat(bob.updates).isEqualTo(1);
        assertThat(log.lines).contains("WARN Password reset of user name 'bob' by 'alice' refused: not an admin");
    }

    @Test
    void resetting_an_unknown_operator_is_an_illegal_argument() {
        assertThatThrownBy(() -> identity.resetPassword("mallory", NEW.toCharArray(),
                new Operator("admin", Set.of(Role.ADMIN), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("没有用户名为 mallory 的操作员 / No operator has the user name mallory");
    }

    @Test
    void a_reset_obeys_the_policy_and_the_file_rule() throws Exception {
        Operator root = new Operator("admin", Set.of(Role.ADMIN), null);
        assertThat(catchThrowableOfType(PasswordPolicyException.class,
                () -> identity.resetPassword("bob", "bob".toCharArray(), root)).reason())
                .isEqualTo(PasswordPolicyException.Reason.TOO_SHORT);
        configAdmin.addOperator(Map.of("username", "carol", "passwordHash", hasher.hash(OLD.toCharArray()),
                "roles", new String[] {"technician"}, IdentityServiceImpl.FILEINSTALL_FILENAME, FILE_URL));

        assertThatThrownBy(() -> identity.resetPassword("carol", NEW.toCharArray(), root))
                .isInstanceOf(OperatorDefinedInFileException.class);
        assertThat(bob.updates).isEqualTo(1);
    }

    // --- helpers ---

    private IdentityServiceImpl service(Duration restartTimeout) {
        IdentityServiceImpl service =
                new IdentityServiceImpl(Settings.defaults(), clock, hasher, log.logger, dataDir, restartTimeout);
        service.configAdmin = configAdmin;
        return service;
    }

    private Map<String, Object> operator(String username, String role) {
        return Map.of("username", username, "passwordHash", hasher.hash(OLD.toCharArray()),
                "roles", new String[] {role});
    }

    private String pidOf(String username) {
        return configAdmin.configurations.values().stream()
                .filter(configuration -> username.equals(configuration.stored("username")))
                .findFirst().orElseThrow().pid;
    }

    private Path initialPasswordFile() throws Exception {
        Path file = InitialAdmin.passwordFile(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "the-initial-password\n");
        return file;
    }

    private AuthenticationException failLogin(String username, String password) {
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> identity.login(username, password.toCharArray(), ORIGIN));
        assertThat(refused).as("login of %s", username).isNotNull();
        return refused;
    }
}
