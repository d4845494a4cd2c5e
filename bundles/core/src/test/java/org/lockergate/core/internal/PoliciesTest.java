package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;
import org.lockergate.core.internal.lockout.ParcelLadder;
import org.lockergate.core.internal.policy.BasicFeePolicy;
import org.lockergate.core.internal.policy.SmallestFitAllocation;
import org.lockergate.core.internal.registry.Suggestions;

class PoliciesTest {

    private static final Instant CLOSED = Instant.parse("2025-05-01T01:00:00Z");
    private final BasicFeePolicy fees = new BasicFeePolicy();

    private static Parcel parcel(boolean feeTerms) {
        return new Parcel("P1", "g1", "c1", "1", SizeClass.S, "W", "JT", "JT-1", "138******34", ParcelState.DEPOSITED,
                new Consent("app", "C", CLOSED, feeTerms), CLOSED, CLOSED, null, 0, false);
    }

    @Test
    void pickup_exactly_at_the_end_of_the_free_period_is_free_and_one_second_later_costs_fifty_fen() {
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(24))).feeFen()).isZero();
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(24)).plusSeconds(1)).feeFen()).isEqualTo(50);
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(36))).feeFen()).isEqualTo(50);
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(36)).plusSeconds(1)).feeFen())
                .isEqualTo(100);
        assertThat(fees.quote(parcel(true), CLOSED).freeUntil()).isEqualTo(CLOSED.plus(Duration.ofHours(24)));
    }

    @Test
    void fee_is_capped_at_three_yuan() {
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(96))).feeFen()).isEqualTo(300);
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofHours(96))).capped()).isFalse();
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofDays(30))).feeFen()).isEqualTo(300);
        assertThat(fees.quote(parcel(true), CLOSED.plus(Duration.ofDays(30))).capped()).isTrue();
    }

    @Test
    void no_fee_without_the_fee_terms_accepted() {
        assertThat(fees.quote(parcel(false), CLOSED.plus(Duration.ofDays(5))).feeFen()).isZero();
    }

    @Test
    void parcel_ladder_durations_and_attempts_left() {
        assertThat(ParcelLadder.lockFor(1)).isZero();
        assertThat(ParcelLadder.lockFor(2)).isZero();
        assertThat(ParcelLadder.lockFor(3)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ParcelLadder.lockFor(4)).isEqualTo(Duration.ofMinutes(5));
        assertThat(ParcelLadder.lockFor(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(ParcelLadder.lockFor(7)).isEqualTo(Duration.ofMinutes(30));
        assertThat(ParcelLadder.attemptsLeft(0)).isEqualTo(3);
        assertThat(ParcelLadder.attemptsLeft(2)).isEqualTo(1);
        assertThat(ParcelLadder.effectiveCount(5, CLOSED, CLOSED.plus(Duration.ofHours(24)))).isZero();
        assertThat(ParcelLadder.effectiveCount(5, CLOSED, CLOSED.plus(Duration.ofHours(23)))).isEqualTo(5);
    }

    private static Compartment c(String label, SizeClass size, CompartmentState state) {
        return new Compartment("g1", "c1", label, size, 1, 1, state, true, false, null, null);
    }

    @Test
    void allocation_takes_the_smallest_free_fitting_size_skipping_excluded_and_busy_ones() {
        List<Compartment> all = List.of(c("10", SizeClass.M, CompartmentState.FREE),
                c("2", SizeClass.S, CompartmentState.OCCUPIED), c("3", SizeClass.S, CompartmentState.FREE),
                c("12", SizeClass.S, CompartmentState.FREE), c("4", SizeClass.L, CompartmentState.FREE));

        Allocation a = new SmallestFitAllocation().allocate(new AllocationRequest("g1", "JT", SizeClass.S, false,
                Set.of("3")), all);

        assertThat(a.candidates()).extracting(Compartment::label).containsExactly("12", "10", "4");
        assertThat(a.explanation()).contains("12");
        Allocation none = new SmallestFitAllocation().allocate(new AllocationRequest("g1", "JT", SizeClass.L, false,
                Set.of("4")), all);
        assertThat(none.candidates()).isEmpty();
    }

    @Test
    void haversine_distance_of_the_demo_groups_is_about_800_metres() {
        assertThat(Suggestions.distanceM(36.185, 118.17, 36.1922, 118.17)).isBetween(790.0, 810.0);
    }
}
