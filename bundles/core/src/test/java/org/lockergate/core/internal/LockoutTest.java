package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.SizeClass;

class LockoutTest {

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

    private LockerException pickup(String code, String last4, String keypad) {
        return catchThrowableOfType(LockerException.class, () -> h.core.kiosk.pickup("g1", code, last4, keypad));
    }

    private static Instant until(LockerException e) {
        return OffsetDateTime.parse((String) e.extra().get("lockedUntil")).toInstant();
    }

    @Test
    void five_wrong_codes_within_five_minutes_lock_the_keypad_for_five_minutes() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        for (int left = 4; left >= 1; left--) {
            LockerException e = pickup("00000000", null, "k1");
            assertThat(e.code()).isEqualTo("wrong_code");
            assertThat(e.extra()).containsEntry("attemptsLeft", left);
            h.clock.advance(Duration.ofSeconds(30));
        }
        LockerException fifth = pickup("00000000", null, "k1");
        assertThat(fifth.code()).isEqualTo("locked");
        assertThat(fifth.kind()).isEqualTo(LockerException.Kind.TOO_MANY);
        assertThat(until(fifth)).isEqualTo(h.clock.now().plus(Duration.ofMinutes(5)));

        assertThat(pickup(h.codeOf(parcel), null, "k1").code()).isEqualTo("locked");
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, "k2").parcelId()).isEqualTo(parcel);
    }

    @Test
    void a_locked_parcels_right_code_answers_as_a_wrong_code_so_codes_cannot_be_enumerated() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        pickup("00000000", "1234", "attacker-1");
        pickup("00000000", "1234", "attacker-2");
        // the 3rd wrong code naming the parcel locks it for a minute
        assertThat(pickup("00000000", "1234", "attacker-3").code()).isEqualTo("locked");

        LockerException rightCode = pickup(h.codeOf(parcel), null, "k-right");
        LockerException unknownCode = pickup("00000000", null, "k-unknown");

        assertThat(rightCode.code()).isEqualTo(unknownCode.code()).isEqualTo("wrong_code");
        assertThat(rightCode.kind()).isEqualTo(unknownCode.kind());
        assertThat(rightCode.extra()).isEqualTo(unknownCode.extra());
        // once the lock is over the code works again
        h.clock.advance(Duration.ofMinutes(6));
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, "k-later").parcelId()).isEqualTo(parcel);
    }

    @Test
    void keypad_lock_ends_after_five_minutes() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        for (int i = 0; i < 5; i++) {
            pickup("00000000", null, null);
            h.clock.advance(Duration.ofSeconds(11));
        }
        h.clock.advance(Duration.ofMinutes(5));

        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null).parcelId()).isEqualTo(parcel);
    }

    @Test
    void wrong_codes_spread_over_more_than_five_minutes_do_not_lock() {
        for (int i = 0; i < 8; i++) {
            assertThat(pickup("00000000", null, null).code()).isEqualTo("wrong_code");
            h.clock.advance(Duration.ofSeconds(76));
        }
    }

    @Test
    void a_seventh_attempt_within_a_minute_is_refused() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        String code = h.codeOf(parcel);
        pickup("00000000", null, null);
        pickup("00000001", null, null);
        for (int i = 0; i < 4; i++) {
            h.core.kiosk.pickup("g1", code, null, null);
        }

        LockerException seventh = pickup(code, null, null);

        assertThat(seventh.code()).isEqualTo("locked");
        assertThat(until(seventh)).isEqualTo(Harness.START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void parcel_ladder_locks_one_minute_then_five_minutes_three_times_then_thirty_minutes() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        assertThat(pickup("00000000", "1234", "a").extra()).containsEntry("attemptsLeft", 2);
        h.clock.advance(Duration.ofMinutes(6));
        assertThat(pickup("00000000", "1234", "b").extra()).containsEntry("attemptsLeft", 1);
        h.clock.advance(Duration.ofMinutes(6));

        Duration[] expected = {Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(30)};
        for (int i = 0; i < expected.length; i++) {
            LockerException e = pickup("00000000", "1234", "kiosk-" + i);
            assertThat(e.code()).as("wrong code #%d", i + 3).isEqualTo("locked");
            assertThat(until(e)).as("wrong code #%d", i + 3).isEqualTo(h.clock.now().plus(expected[i]));
            LockerException whileLocked = pickup(h.codeOf(parcel), "1234", "other-" + i);
            assertThat(whileLocked.code()).isEqualTo("locked");
            h.clock.advance(expected[i]);
        }
        assertThat(h.parcel(parcel).state().pickable()).isTrue();
    }

    @Test
    void locked_until_has_milliseconds_and_equals_the_stored_lock() throws Exception {
        h.clock.set(Harness.START.plusNanos(123_456_789));
        String parcel = h.deposited(SizeClass.S, "13800001234");
        pickup("00000000", "1234", "a");
        pickup("00000001", "1234", "b");

        LockerException third = pickup("00000002", "1234", "c");

        assertThat(third.code()).isEqualTo("locked");
        assertThat(third.extra()).containsEntry("lockedUntil", "2025-03-03T10:01:00.123+08:00");
        assertThat(third.getMessage()).contains("locked until 2025-03-03T10:01:00.123+08:00");
        assertThat(h.store.<Instant>query("SELECT locked_until FROM parcel WHERE parcel_id = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), parcel)).isEqualTo(until(third));
        assertThat(pickup(h.codeOf(parcel), "1234", "d").extra())
                .containsEntry("lockedUntil", "2025-03-03T10:01:00.123+08:00");
    }

    @Test
    void success_resets_the_parcel_ladder() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        pickup("00000000", "1234", "a");
        pickup("00000001", "1234", "b");

        h.core.kiosk.pickup("g1", h.codeOf(parcel), "1234", "c");

        assertThat(h.store.<Integer>query("SELECT wrong_codes FROM parcel WHERE parcel_id = ?", rs -> rs.getInt(1),
                parcel)).isZero();
    }

    @Test
    void the_right_code_with_the_wrong_phone_digits_is_a_wrong_code() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");

        LockerException e = pickup(h.codeOf(parcel), "9999", null);

        assertThat(e.code()).isEqualTo("wrong_code");
    }

    @Test
    void attempts_left_is_the_stricter_of_keypad_and_parcel() throws Exception {
        h.deposited(SizeClass.S, "13800001234");
        pickup("00000000", null, "k");
        pickup("00000000", null, "k");
        pickup("00000000", null, "k");

        LockerException e = pickup("00000000", "1234", "k");

        assertThat(e.extra()).containsEntry("attemptsLeft", 1);
    }
}
