package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/**
 * Clock jumps through the injectable gateway clock (issue 10). Forward jumps (a gateway that was off) are in
 * {@code AlarmsAndTimersTest}; here the clock steps <em>back</em> (an NTP step, a wrong RTC after a power cut) and
 * forward again: no timer is undone or repeated, no alarm is raised twice, and a keypad lock is not shortened.
 */
class ClockJumpTest {

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

    @Test
    void stepping_back_neither_undoes_nor_repeats_a_parcel_timer() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(Duration.ofHours(25));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.OVERDUE);
        Instant later = h.clock.now();

        h.clock.set(Harness.START.minus(Duration.ofHours(1))); // back before the deposit
        h.core.timers.tick();
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).as("a state never goes back").isEqualTo(ParcelState.OVERDUE);
        assertThat(h.outbox("parcel.overdue")).hasSize(1);

        h.clock.set(later.plus(Duration.ofHours(48)));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RECALL_DUE);
        assertThat(h.outbox("parcel.overdue")).hasSize(1);
        assertThat(h.outbox("parcel.recall_due")).hasSize(1);
    }

    @Test
    void stepping_back_does_not_shorten_a_keypad_lock() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        for (int i = 0; i < 5; i++) {
            catchThrowableOfType(LockerException.class, () -> h.core.kiosk.pickup("g1", "00000000", null, "k1"));
        }
        Instant lockedAt = h.clock.now();
        h.clock.set(lockedAt.minus(Duration.ofHours(1)));
        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.pickup("g1", h.codeOf(parcel), null, "k1"));
        assertThat(e).as("the right code while the keypad is locked, clock stepped back").isNotNull();
        assertThat(e.code()).isEqualTo("locked");

        h.clock.set(lockedAt.plus(Duration.ofMinutes(6)));
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, "k1").parcelId()).isEqualTo(parcel);
    }

    @Test
    void a_door_left_open_alarm_is_raised_once_across_a_step_back_and_forth() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);
        h.clock.advance(Duration.ofSeconds(61));
        h.core.timers.tick();
        assertThat(h.alarms(AlarmType.DOOR_LEFT_OPEN)).hasSize(1);
        Instant at = h.clock.now();

        h.clock.set(at.minus(Duration.ofMinutes(2)));
        h.core.timers.tick();
        h.clock.set(at.plus(Duration.ofMinutes(3)));
        h.core.timers.tick();
        h.core.timers.tick();

        assertThat(h.alarms(AlarmType.DOOR_LEFT_OPEN)).hasSize(1);
        assertThat(h.core.queries.outbox(10_000).stream().filter(o -> o.type().equals(AlarmType.DOOR_LEFT_OPEN
                .wireName())).filter(o -> "raised".equals(h.data(o).get("state")))).hasSize(1);
    }
}
