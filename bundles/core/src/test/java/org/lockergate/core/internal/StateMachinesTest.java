package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockergate.api.model.CompartmentState.DISABLED;
import static org.lockergate.api.model.CompartmentState.FAULT;
import static org.lockergate.api.model.CompartmentState.FREE;
import static org.lockergate.api.model.CompartmentState.OCCUPIED;
import static org.lockergate.api.model.CompartmentState.OPENING;
import static org.lockergate.api.model.CompartmentState.RESERVED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.state.CompartmentMachine;
import org.lockergate.core.internal.state.ParcelMachine;

class StateMachinesTest {

    private static final Map<CompartmentState, Set<CompartmentState>> COMPARTMENT = Map.of(
            FREE, EnumSet.of(RESERVED, OPENING, DISABLED, FAULT),
            RESERVED, EnumSet.of(OCCUPIED, FREE, FAULT),
            OPENING, EnumSet.of(FREE, OCCUPIED, FAULT, DISABLED),
            OCCUPIED, EnumSet.of(OPENING, DISABLED, FAULT),
            FAULT, EnumSet.of(FREE, OCCUPIED, OPENING, DISABLED),
            DISABLED, EnumSet.of(FREE, OCCUPIED, OPENING));

    private static final Map<ParcelState, Set<ParcelState>> PARCEL = Map.of(
            ParcelState.RESERVED, EnumSet.of(ParcelState.DEPOSITED, ParcelState.CANCELLED),
            ParcelState.DEPOSITED, EnumSet.of(ParcelState.OVERDUE, ParcelState.RECALL_DUE, ParcelState.HELD,
                    ParcelState.PICKED_UP, ParcelState.REJECTED),
            ParcelState.OVERDUE, EnumSet.of(ParcelState.RECALL_DUE, ParcelState.HELD, ParcelState.PICKED_UP,
                    ParcelState.REJECTED),
            ParcelState.RECALL_DUE, EnumSet.of(ParcelState.HELD, ParcelState.RECALLED, ParcelState.PICKED_UP,
                    ParcelState.REJECTED),
            ParcelState.HELD, EnumSet.of(ParcelState.RECALLED),
            ParcelState.REJECTED, EnumSet.of(ParcelState.RETURNED));

    @Test
    void compartment_machine_allows_exactly_the_designed_transitions() {
        for (CompartmentState from : CompartmentState.values()) {
            for (CompartmentState to : CompartmentState.values()) {
                boolean expected = COMPARTMENT.get(from).contains(to);
                assertThat(CompartmentMachine.allowed(from, to)).as("%s -> %s", from, to).isEqualTo(expected);
            }
        }
    }

    @Test
    void parcel_machine_allows_exactly_the_designed_transitions_and_terminal_states_go_nowhere() {
        for (ParcelState from : ParcelState.values()) {
            for (ParcelState to : ParcelState.values()) {
                boolean expected = PARCEL.getOrDefault(from, Set.of()).contains(to);
                assertThat(ParcelMachine.allowed(from, to)).as("%s -> %s", from, to).isEqualTo(expected);
            }
            if (from.terminal()) {
                assertThat(PARCEL).doesNotContainKey(from);
            }
        }
    }

    @Test
    void refused_transitions_throw_naming_both_states() {
        assertThatThrownBy(() -> CompartmentMachine.check(RESERVED, OPENING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RESERVED").hasMessageContaining("OPENING");
        assertThatThrownBy(() -> ParcelMachine.check(ParcelState.PICKED_UP, ParcelState.DEPOSITED))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ParcelMachine.check(ParcelState.HELD, ParcelState.PICKED_UP))
                .isInstanceOf(IllegalStateException.class);
    }
}
