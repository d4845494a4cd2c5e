package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hash_uses_owasp_parameters_and_a_16_byte_salt() {
        String phc = hasher.hash("correct horse".toCharArray());

        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        PhcHash parsed = PhcHash.parse(phc);
        assertThat(parsed.salt()).hasSize(16);
        assertThat(parsed.hash()).hasSize(32);
    }

    @Test
    void same_password_gets_a_different_salt_each_time() {
        assertThat(hasher.hash("correct horse".toCharArray())).isNotEqualTo(hasher.hash("correct horse".toCharArray()));
    }

    @Test
    void round_trip_accepts_the_right_password_only() {
        PhcHash hash = PhcHash.parse(hasher.hash("correct horse".toCharArray()));

        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void tampered_hash_no_longer_verifies() {
        PhcHash hash = PhcHash.parse(hasher.hash("correct horse".toCharArray()));
        byte[] flipped = hash.hash().clone();
        flipped[31] ^= 1;
        String tamperedHash = new PhcHash(hash.memoryKib(), hash.iterations(), hash.parallelism(), hash.salt(), flipped)
                .toString();
        String tamperedCost = hash.toString().replace("t=2", "t=1");
        String tamperedSalt = hash.toString().replace(Base64.getEncoder().withoutPadding().encodeToString(hash.salt()),
                Base64.getEncoder().withoutPadding().encodeToString(new byte[16]));

        assertThat(hasher.verify("correct horse".toCharArray(), PhcHash.parse(tamperedHash))).isFalse();
        assertThat(hasher.verify("correct horse".toCharArray(), PhcHash.parse(tamperedCost))).isFalse();
        assertThat(hasher.verify("correct horse".toCharArray(), PhcHash.parse(tamperedSalt))).isFalse();
    }

    @Test
    void verifies_hashes_made_by_the_reference_implementation() {
        // `argon2 <salt> -id ...` from the reference C implementation (Debian package argon2)
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), PhcHash.parse(PhcHashTest.REFERENCE)))
                .isTrue();
        // non-ASCII passwords are hashed as UTF-8, like the reference; p=2 exercises parsed parallelism
        PhcHash twoLanes = PhcHash.parse(
                "$argon2id$v=19$m=64,t=1,p=2$c2FsdHNhbHRzYWx0MTZieQ$WXzDl+UfVkwlrv8zTDtAl7/bcI0TztfBg8Wh/jbanOg");
        assertThat(hasher.verify("密码 pässword".toCharArray(), twoLanes)).isTrue();
    }
}
