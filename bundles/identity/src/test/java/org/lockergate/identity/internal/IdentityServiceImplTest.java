package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

class IdentityServiceImplTest {

    private static final String PASSWORD = "s3cret-Pa55";
    private static final String ORIGIN = "192.0.2.10";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));
    private final PasswordHasher hasher = Fakes.fastHasher();
    private final Fakes.RecordingLogger log = new Fakes.RecordingLogger();
    private IdentityServiceImpl identity;

    @BeforeEach
    void setUp() throws Exception {
        identity = new IdentityServiceImpl(Settings.defaults(), clock, hasher, log.logger);
        identity.add(account("cfg.alice", "alice", Role.ADMIN));
        identity.add(account("cfg.bob", "bob", Role.TECHNICIAN));
    }

    // --- passwords and throttling ---

    @Test
    void login_with_the_right_password_returns_a_token_for_the_operator() throws Exception {
        AccessToken token = identity.login("alice", PASSWORD.toCharArray(), ORIGIN);

        assertThat(token.operator().username()).isEqualTo("alice");
        assertThat(token.operator().roles()).containsExactly(Role.ADMIN);
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
    }

    @Test
    void wrong_password_is_refused_with_attempts_left_counting_down() {
        assertThat(failLogin("alice", ORIGIN).attemptsLeft()).isEqualTo(4);
        assertThat(failLogin("alice", ORIGIN).attemptsLeft()).isEqualTo(3);
        AuthenticationException third = failLogin("alice", ORIGIN);

        assertThat(third.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(third.attemptsLeft()).isEqualTo(2);
        assertThat(third.lockedUntil()).isNull();
        assertThat(third.getMessage()).isEqualTo("用户名或密码错误，还可尝试 2 次 / Wrong user name or password, 2 attempts left");
    }

    @Test
    void unknown_user_is_refused_exactly_like_a_wrong_password() {
        AuthenticationException unknown = failLogin("mallory", ORIGIN);
        AuthenticationException wrong = failLogin("alice", "198.51.100.7");

        assertThat(unknown.reason()).isEqualTo(wrong.reason());
        assertThat(unknown.attemptsLeft()).isEqualTo(wrong.attemptsLeft());
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void login_locks_after_five_failures() {
        for (int i = 0; i < 4; i++) {
            failLogin("alice", ORIGIN);
        }
        AuthenticationException fifth = failLogin("alice", ORIGIN);

        assertThat(fifth.reason()).isEqualTo(Reason.LOCKED);
        assertThat(fifth.attemptsLeft()).isZero();
        assertThat(fifth.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(fifth.getMessage()).isEqualTo("登录失败次数过多，请 5 分钟后再试 / Too many failed logins, try again in 5 minutes");
        assertThat(log.lines).anyMatch(line -> line.startsWith("WARN User name 'alice' locked"));

        AuthenticationException rightPasswordWhileLocked = catchThrowableOfType(AuthenticationException.class,
                () -> identity.login("alice", PASSWORD.toCharArray(), "203.0.113.5"));
        assertThat(rightPasswordWhileLocked.reason()).isEqualTo(Reason.LOCKED);
    }

    @Test
    void lockout_is_released_after_five_minutes() throws Exception {
        for (int i = 0; i < 5; i++) {
            failLogin("alice", ORIGIN);
        }
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(failLogin("alice", ORIGIN, PASSWORD).reason()).isEqualTo(Reason.LOCKED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(identity.login("alice", PASSWORD.toCharArray(), ORIGIN).operator().username()).isEqualTo("alice");
    }

    @Test
    void lock_applies_to_the_user_name_whatever_its_case() {
        for (int i = 0; i < 5; i++) {
            failLogin("alice", ORIGIN);
        }
        assertThat(failLogin("ALICE", "203.0.113.5", PASSWORD).reason()).isEqualTo(Reason.LOCKED);
    }

    @Test
    void failures_older_than_the_window_are_forgotten() {
        for (int i = 0; i < 4; i++) {
            failLogin("alice", ORIGIN);
        }
        clock.advance(Duration.ofMinutes(5));

        assertThat(failLogin("alice", ORIGIN).attemptsLeft()).isEqualTo(4);
    }

    @Test
    void successful_login_resets_the_users_counter() throws Exception {
        for (int i = 0; i < 4; i++) {
            failLogin("alice", ORIGIN);
        }
        identity.login("alice", PASSWORD.toCharArray(), ORIGIN);

        assertThat(failLogin("alice", "203.0.113.5").attemptsLeft()).isEqualTo(4);
    }

    @Test
    void origin_is_locked_after_twenty_failures_across_user_names() {
        for (int i = 0; i < 19; i++) {
            assertThat(failLogin("guess" + i, ORIGIN).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        }
        AuthenticationException twentieth = failLogin("guess19", ORIGIN);

        assertThat(twentieth.reason()).isEqualTo(Reason.LOCKED);
        assertThat(twentieth.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(failLogin("bob", ORIGIN, PASSWORD).reason()).isEqualTo(Reason.LOCKED);
        assertThat(log.lines).anyMatch(line -> line.startsWith("WARN Origin " + ORIGIN + " locked"));
    }

    @Test
    void other_origins_still_get_in_while_one_origin_is_locked() throws Exception {
        for (int i = 0; i < 20; i++) {
            failLogin("guess" + i, ORIGIN);
        }
        assertThat(identity.login("bob", PASSWORD.toCharArray(), "203.0.113.5").operator().username()).isEqualTo("bob");

        clock.advance(Duration.ofMinutes(5));
        assertThat(identity.login("bob", PASSWORD.toCharArray(), ORIGIN).operator().username()).isEqualTo("bob");
    }

    @Test
    void attempts_left_reports_the_stricter_of_user_and_origin() {
        for (int i = 0; i < 17; i++) {
            failLogin("guess" + i, ORIGIN);
        }
        // alice has 4 attempts left, the origin only 2
        assertThat(failLogin("alice", ORIGIN).attemptsLeft()).isEqualTo(2);
    }

    @Test
    void verify_checks_the_password_without_a_token_and_is_throttled_like_login() throws Exception {
        Operator bob = identity.verify("bob", PASSWORD.toCharArray(), "shell");
        assertThat(bob.roles()).containsExactly(Role.TECHNICIAN);

        for (int i = 0; i < 5; i++) {
            catchThrowableOfType(AuthenticationException.class,
                    () -> identity.verify("bob", "nope".toCharArray(), "shell"));
        }
        AuthenticationException locked = catchThrowableOfType(AuthenticationException.class,
                () -> identity.verify("bob", PASSWORD.toCharArray(), "shell"));
        assertThat(locked.reason()).isEqualTo(Reason.LOCKED);
    }

    @Test
    void changed_settings_apply_without_a_restart() {
        identity.apply(new Settings(Settings.defaults().tokens(),
                new LoginThrottle.Policy(2, Duration.ofMinutes(5), Duration.ofMinutes(10)),
                Settings.defaults().perOrigin()));

        assertThat(failLogin("alice", ORIGIN).attemptsLeft()).isEqualTo(1);
        assertThat(failLogin("alice", ORIGIN).lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void nothing_secret_is_logged() {
        for (int i = 0; i < 25; i++) {
            failLogin("alice", ORIGIN, "wrong-" + i);
        }
        assertThat(log.lines).noneMatch(line -> line.contains("wrong-") || line.contains("$argon2id"));
    }

    // --- tokens ---

    @Test
    void token_is_32_random_bytes_in_base64url_without_padding() throws Exception {
        String token = identity.login("alice", PASSWORD.toCharArray(), ORIGIN).token();

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(identity.login("alice", PASSWORD.toCharArray(), ORIGIN).token()).isNotEqualTo(token);
    }

    @Test
    void authenticate_returns_the_tokens_operator() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        assertThat(identity.authenticate(token)).map(Operator::username).contains("bob");
        assertThat(identity.authenticate("not-a-token")).isEmpty();
        assertThat(identity.authenticate(null)).isEmpty();
    }

    @Test
    void token_expires_after_thirty_idle_minutes() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        clock.advance(Duration.ofMinutes(30));

        assertThat(identity.authenticate(token)).isEmpty();
    }

    @Test
    void using_a_token_extends_its_idle_expiry() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(identity.authenticate(token)).isPresent();
        }
    }

    @Test
    void token_expires_after_twelve_hours_however_often_it_is_used() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        for (int i = 0; i < 35; i++) { // 35 × 20 min = 11 h 40 min
            clock.advance(Duration.ofMinutes(20));
            assertThat(identity.authenticate(token)).isPresent();
        }
        clock.advance(Duration.ofMinutes(20));
        assertThat(identity.authenticate(token)).isEmpty();
    }

    @Test
    void expired_token_stays_expired_when_the_clock_is_read_again() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();
        clock.advance(Duration.ofMinutes(31));
        assertThat(identity.authenticate(token)).isEmpty();

        clock.advance(Duration.ofMinutes(-30)); // a clock stepped back by NTP does not revive it
        assertThat(identity.authenticate(token)).isEmpty();
    }

    @Test
    void logout_ends_the_token_at_once() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        identity.logout(token);
        identity.logout("unknown");
        identity.logout(null);

        assertThat(identity.authenticate(token)).isEmpty();
    }

    @Test
    void token_stops_working_when_the_operators_configuration_is_removed() throws Exception {
        String bobsToken = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();
        String alicesToken = identity.login("alice", PASSWORD.toCharArray(), ORIGIN).token();

        identity.remove("cfg.bob");

        assertThat(identity.authenticate(bobsToken)).isEmpty();
        assertThat(identity.authenticate(alicesToken)).isPresent();
        assertThat(failLogin("bob", ORIGIN, PASSWORD).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void token_stops_working_when_the_operators_configuration_changes() throws Exception {
        String token = identity.login("bob", PASSWORD.toCharArray(), ORIGIN).token();

        identity.add(account("cfg.bob", "bob", Role.PROPERTY));

        assertThat(identity.authenticate(token)).isEmpty();
        assertThat(identity.login("bob", PASSWORD.toCharArray(), ORIGIN).operator().roles())
                .containsExactly(Role.PROPERTY);
    }

    // --- operators ---

    @Test
    void operators_lists_the_configured_operators_by_name() throws Exception {
        identity.add(OperatorAccount.fromConfig("cfg.zto", "zto-viewer", hasher.hash(PASSWORD.toCharArray()),
                new String[] {"courier-company"}, "ZTO"));

        assertThat(identity.operators()).extracting(Operator::username).containsExactly("alice", "bob", "zto-viewer");
        assertThat(identity.operators().get(2).company()).isEqualTo("ZTO");
    }

    @Test
    void a_second_configuration_for_the_same_user_name_is_refused() {
        InvalidOperatorException refused = catchThrowableOfType(InvalidOperatorException.class,
                () -> identity.add(account("cfg.other", "Alice", Role.PROPERTY)));

        assertThat(refused).hasMessage("user name 'Alice' is already used by configuration cfg.alice");
        assertThat(identity.operators()).extracting(Operator::username).containsExactly("alice", "bob");
    }

    private OperatorAccount account(String pid, String username, Role role) throws InvalidOperatorException {
        return OperatorAccount.fromConfig(pid, username, hasher.hash(PASSWORD.toCharArray()), new String[] {role.id()},
                null);
    }

    private AuthenticationException failLogin(String username, String origin) {
        return failLogin(username, origin, "wrong password");
    }

    private AuthenticationException failLogin(String username, String origin, String password) {
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> identity.login(username, password.toCharArray(), origin));
        assertThat(refused).as("login of %s from %s", username, origin).isNotNull();
        return refused;
    }
}
