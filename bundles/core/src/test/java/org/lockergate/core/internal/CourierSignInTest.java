package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.SizeClass;
import org.lockergate.core.internal.registry.Definitions;

class CourierSignInTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private LockerException signIn(String id, String pin) {
        return catchThrowableOfType(LockerException.class, () -> h.core.kiosk.signIn("g1", id, pin.toCharArray()));
    }

    @Test
    void courier_signs_in_with_id_and_pin_and_gets_a_ten_minute_session() throws Exception {
        CourierSession session = h.core.kiosk.signIn("g1", "ZTO-0001", "123456".toCharArray());

        assertThat(session.courierId()).isEqualTo("ZTO-0001");
        assertThat(session.companyCode()).isEqualTo("ZTO");
        assertThat(session.expiresAt()).isEqualTo(Harness.START.plus(Duration.ofMinutes(10)));
    }

    @Test
    void wrong_pins_count_down_and_lock_the_courier_id_for_five_minutes() {
        assertThat(signIn("ZTO-0001", "000000").extra()).containsEntry("attemptsLeft", 4);
        for (int i = 0; i < 3; i++) {
            assertThat(signIn("ZTO-0001", "000000").code()).isEqualTo("bad_credentials");
        }
        LockerException fifth = signIn("ZTO-0001", "000000");

        assertThat(fifth.code()).isEqualTo("locked");
        assertThat(signIn("ZTO-0001", "123456").code()).isEqualTo("locked");
        assertThat(signIn("JT-0001", "000000").code()).isEqualTo("bad_credentials");
    }

    @Test
    void the_pin_lock_ends_at_a_time_in_milliseconds() {
        h.clock.set(Harness.START.plusNanos(987_654_321));
        for (int i = 0; i < 4; i++) {
            signIn("ZTO-0001", "000000");
        }

        LockerException fifth = signIn("ZTO-0001", "000000");

        assertThat(fifth.extra()).containsEntry("lockedUntil", "2025-03-03T10:05:00.987+08:00");
        assertThat(fifth.getMessage()).isEqualTo("尝试次数过多，已锁定至 2025-03-03T10:05:00.987+08:00 / Too many "
                + "attempts, locked until 2025-03-03T10:05:00.987+08:00");
    }

    @Test
    void unknown_and_inactive_couriers_are_refused_like_a_wrong_pin() throws Exception {
        h.core.registry.putCourier(new Definitions.Courier("ZTO-0002", "ZTO", null, "hash:123456", false));

        assertThat(signIn("NOBODY", "123456").code()).isEqualTo("bad_credentials");
        assertThat(signIn("ZTO-0002", "123456").code()).isEqualTo("bad_credentials");
    }

    @Test
    void session_ends_after_ten_idle_minutes() throws Exception {
        String session = h.session("JT-0001");
        h.clock.advance(Duration.ofMinutes(9));
        h.core.kiosk.deposit("g1", Harness.request(session, SizeClass.S, "13800001234", true));
        h.clock.advance(Duration.ofMinutes(10));

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.core.kiosk.deposit("g1",
                Harness.request(session, SizeClass.S, "13800001234", true)));

        assertThat(e.code()).isEqualTo("no_session");
    }

    @Test
    void signed_login_token_is_accepted_until_it_expires() throws Exception {
        String token = h.core.courierTokens.issue("JT-0001", h.clock.now().plus(Duration.ofMinutes(10)));

        assertThat(h.core.kiosk.signInWithToken("g1", token).companyCode()).isEqualTo("JT");

        h.clock.advance(Duration.ofMinutes(10));
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.signInWithToken("g1", token))
                .code()).isEqualTo("bad_credentials");
    }

    @Test
    void tampered_or_too_long_lived_tokens_are_refused() {
        String token = h.core.courierTokens.issue("JT-0001", h.clock.now().plus(Duration.ofMinutes(5)));
        String tampered = token.replace("JT-0001", "ZTO-0001");
        String longLived = h.core.courierTokens.issue("JT-0001", h.clock.now().plus(Duration.ofHours(2)));

        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.signInWithToken("g1", tampered))
                .code()).isEqualTo("bad_credentials");
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.signInWithToken("g1", longLived))
                .code()).isEqualTo("bad_credentials");
    }

    @Test
    void without_the_pin_verifier_sign_in_is_temporarily_unavailable() {
        h.core.sessions.verifier(null);

        assertThat(signIn("JT-0001", "123456").code()).isEqualTo("unavailable");
    }
}
