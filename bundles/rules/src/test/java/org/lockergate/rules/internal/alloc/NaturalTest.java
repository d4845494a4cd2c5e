package org.lockergate.rules.internal.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalTest {

    @Test
    void doorLabelsSortAsPeopleCountThem() {
        List<String> labels = new ArrayList<>(List.of("10", "2", "A10", "A2", "1", "02", "B1", "A02b", "A2a",
                "123456789012345678901234567890", "99999999999999999999"));
        labels.sort(Natural::compare);
        // "2" and "02" are the same number: equal, so the (stable) sort keeps their order
        assertThat(labels).containsExactly("1", "2", "02", "10", "99999999999999999999",
                "123456789012345678901234567890", "A2", "A2a", "A02b", "A10", "B1");
        assertThat(Natural.compare("007", "7")).isZero();
        assertThat(Natural.compare("8", "10")).isNegative();
        assertThat(Natural.compare("12", "12")).isZero();
    }
}
