package org.lockergate.identity.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhcHashTest {

    /** Made by the reference implementation: {@code argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e}. */
    static final String REFERENCE =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y";

    @Test
    void parses_the_parameters_salt_and_hash() {
        PhcHash hash = PhcHash.parse(REFERENCE);

        assertThat(hash.memoryKib()).isEqualTo(19456);
        assertThat(hash.iterations()).isEqualTo(2);
        assertThat(hash.parallelism()).isEqualTo(1);
        assertThat(new String(hash.salt(), US_ASCII)).isEqualTo("somesaltsomesalt");
        assertThat(hash.hash()).hasSize(32);
    }

    @Test
    void formats_back_to_the_same_string() {
        assertThat(PhcHash.parse(REFERENCE)).hasToString(REFERENCE);
    }

    @Test
    void accepts_raised_parameters_in_any_order() {
        PhcHash hash = PhcHash.parse(REFERENCE.replace("m=19456,t=2,p=1", "p=4,t=3,m=65536"));

        assertThat(hash.memoryKib()).isEqualTo(65536);
        assertThat(hash.iterations()).isEqualTo(3);
        assertThat(hash.parallelism()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not a hash",
        "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1,t=3$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1,x=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=+19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZQ$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA==$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8q!7patN3C3Y9HHsjlVTfEZ9T600Y",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y$extra",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kg"
    })
    void rejects_malformed_strings_without_repeating_them(String malformed) {
        assertThatThrownBy(() -> PhcHash.parse(malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .message().isNotBlank().doesNotContain("c29tZXNhbHRzb21lc2FsdA").doesNotContain("ISO7k");
    }

    @Test
    void rejects_null() {
        assertThatThrownBy(() -> PhcHash.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
