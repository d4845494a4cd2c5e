package org.lockergate.vendor.lockboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.model.SizeClass;

class CompartmentMapTest {

    @Test
    void a_range_counts_the_label_up_keeping_its_width() {
        List<CompartmentSpec> specs = CompartmentMap.parse(new String[] {"1:1-3=A08:S", "2:48=B7"}, List.of(1, 2), 48,
                SizeClass.M);

        assertThat(specs).containsExactly(new CompartmentSpec("A08", SizeClass.S, 1, 1),
                new CompartmentSpec("A09", SizeClass.S, 1, 2), new CompartmentSpec("A10", SizeClass.S, 1, 3),
                new CompartmentSpec("B7", SizeClass.M, 2, 48));
    }

    @Test
    void bad_entries_are_refused_with_the_reason() {
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"3:1=A1"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("board 3");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"1:49=A1"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("1-48");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"1:1=A1", "1:2=A1"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("A1 appears twice");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"1:1=A1", "1:1=A2"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("channel 1 appears twice");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"1:1-2=AB"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("ending in a number");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[] {"garbage"}, List.of(1), 48, SizeClass.M))
                .hasMessageContaining("not board:channel=label");
        assertThatThrownBy(() -> CompartmentMap.parse(new String[0], List.of(1), 48, SizeClass.M))
                .hasMessageContaining("at least one");
    }

    @Test
    void boots_rise_strictly() {
        long a = Boots.next();
        long b = Boots.next();
        assertThat(b).isGreaterThan(a);
        assertThat(a).isGreaterThan(1_600_000_000_000L);
    }
}
