package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.core.internal.crypto.Masking;
import org.lockergate.core.internal.crypto.PhoneCipher;
import org.lockergate.core.internal.crypto.SecretFiles;
import org.lockergate.core.internal.kiosk.CodeIssuer;

class CryptoTest {

    @TempDir
    Path dir;

    @Test
    void phones_are_masked_with_at_least_six_digits_hidden() {
        assertThat(Masking.phone("13800001234")).isEqualTo("138******34");
        assertThat(Masking.phone("+86 138-0000-1234")).isEqualTo("861********34").satisfies(m ->
                assertThat(m.chars().filter(c -> c == '*').count()).isGreaterThanOrEqualTo(6));
        assertThat(Masking.phone("05331234567")).isEqualTo("053******67");
        assertThat(Masking.phone("1234567")).isEqualTo("******7");
        assertThat(Masking.phone("123456")).isEqualTo("******");
    }

    @Test
    void names_are_masked_with_at_least_one_character_hidden() {
        assertThat(Masking.name("张三")).isEqualTo("张*");
        assertThat(Masking.name("欧阳锋")).isEqualTo("欧*锋");
        assertThat(Masking.name("司马相如")).isEqualTo("司**如");
        assertThat(Masking.name("王")).isEqualTo("*");
    }

    @Test
    void phone_encryption_round_trips_and_refuses_tampered_or_moved_ciphertexts() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        PhoneCipher cipher = new PhoneCipher(key, new SecureRandom());
        String sealed = cipher.encrypt("P1", "13800001234");

        assertThat(sealed).doesNotContain("13800001234");
        assertThat(cipher.encrypt("P1", "13800001234")).isNotEqualTo(sealed);
        assertThat(cipher.decrypt("P1", sealed)).isEqualTo("13800001234");

        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.decrypt("P1", tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt("P2", sealed)).isInstanceOf(IllegalArgumentException.class);
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertThatThrownBy(() -> new PhoneCipher(otherKey, new SecureRandom()).decrypt("P1", sealed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pickup_codes_are_eight_digits_and_stored_as_a_keyed_hash_compared_in_constant_time() {
        CodeHasher hasher = new CodeHasher(new byte[32], new SecureRandom());
        String code = hasher.newCode();

        assertThat(code).matches("[0-9]{8}");
        assertThat(hasher.hmacHex(code)).hasSize(64).isEqualTo(hasher.hmacHex(code));
        assertThat(CodeHasher.matches(hasher.hmacHex(code), hasher.hmac(code))).isTrue();
        assertThat(CodeHasher.matches(hasher.hmacHex(code), hasher.hmac("00000000".equals(code) ? "1" : "00000000")))
                .isFalse();
        assertThat(new CodeHasher(new byte[] {1}, new SecureRandom()).hmacHex(code)).isNotEqualTo(hasher.hmacHex(code));
    }

    @Test
    void key_files_are_created_once_owner_only_and_reused() throws Exception {
        SecretFiles secrets = new SecretFiles(dir, new SecureRandom());

        byte[] first = secrets.loadOrCreate(SecretFiles.PICKUP_CODE_KEY);
        byte[] again = new SecretFiles(dir, new SecureRandom()).loadOrCreate(SecretFiles.PICKUP_CODE_KEY);

        assertThat(again).isEqualTo(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("secrets").resolve(SecretFiles.PICKUP_CODE_KEY)))).isEqualTo("rw-------");
        assertThat(secrets.loadOrCreate(SecretFiles.PHONE_KEY)).isNotEqualTo(first);
    }

    @Test
    void a_code_already_used_by_a_parcel_in_the_locker_is_never_issued_again() throws Exception {
        SecureRandom scripted = new SecureRandom() {
            private int calls;

            @Override
            public int nextInt(int bound) {
                return calls++ == 0 ? 12345678 : 87654321;
            }
        };
        CodeHasher hasher = new CodeHasher(new byte[32], scripted);
        try (H2Store store = new H2Store(dir)) {
            store.write("seed", tx -> {
                Connection c = tx.connection();
                c.createStatement().executeUpdate("INSERT INTO parcel(parcel_id, group_id, cabinet_id, compartment, "
                        + "size_class, waybill, company_code, courier_id, state, reserved_at, code_hmac) VALUES ('P0', "
                        + "'g1', 'c1', '1', 'S', 'W', 'JT', 'JT-1', 'DEPOSITED', CURRENT_TIMESTAMP, '"
                        + hasher.hmacHex("12345678") + "')");
                return null;
            });

            CodeIssuer.Issued issued = store.write("issue", tx -> new CodeIssuer(hasher).issue(tx.connection(), "g1"));

            assertThat(issued.code()).isEqualTo("87654321");
        }
    }
}
