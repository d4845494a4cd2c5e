package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.identity.Role;

class InitialAdminTest {

    @TempDir
    Path dataDir;

    private final PasswordHasher hasher = Fakes.fastHasher();
    private final List<Dictionary<String, Object>> created = new ArrayList<>();

    @Test
    void first_start_creates_admin_and_an_owner_only_password_file() throws Exception {
        Optional<Path> file = InitialAdmin.bootstrap(false, false, dataDir, hasher, created::add);

        Path expected = dataDir.resolve("secrets/initial-admin-password");
        assertThat(file).contains(expected.toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.list(expected.getParent())).containsExactly(expected); // no temporary file left behind

        String password = Files.readString(expected, StandardCharsets.US_ASCII).strip();
        assertThat(password).matches("[A-Za-z0-9]{20}");

        assertThat(created).hasSize(1);
        Dictionary<String, Object> properties = created.get(0);
        assertThat(properties.get("roles")).isEqualTo(new String[] {"admin"});
        OperatorAccount admin = OperatorAccount.fromConfig("cfg", (String) properties.get("username"),
                (String) properties.get("passwordHash"), (String[]) properties.get("roles"), null);
        assertThat(admin.operator().username()).isEqualTo("admin");
        assertThat(admin.operator().roles()).containsExactly(Role.ADMIN);
        assertThat(hasher.verify(password.toCharArray(), admin.passwordHash())).isTrue();
    }

    @Test
    void existing_password_file_means_no_second_admin() throws Exception {
        InitialAdmin.bootstrap(false, false, dataDir, hasher, created::add);
        String first = Files.readString(InitialAdmin.passwordFile(dataDir));

        assertThat(InitialAdmin.bootstrap(false, false, dataDir, hasher, created::add)).isEmpty();
        assertThat(created).hasSize(1);
        assertThat(Files.readString(InitialAdmin.passwordFile(dataDir))).isEqualTo(first);
    }

    @Test
    void nothing_is_created_when_an_admin_is_configured() throws Exception {
        assertThat(InitialAdmin.bootstrap(false, true, dataDir, hasher, created::add)).isEmpty();
        assertThat(created).isEmpty();
        assertThat(dataDir.resolve("secrets")).doesNotExist();
    }

    @Test
    void nothing_is_created_in_demo_mode() throws Exception {
        assertThat(InitialAdmin.bootstrap(true, false, dataDir, hasher, created::add)).isEmpty();
        assertThat(created).isEmpty();
        assertThat(dataDir.resolve("secrets")).doesNotExist();
    }

    @Test
    void password_file_is_removed_when_the_configuration_cannot_be_stored() {
        assertThatThrownBy(() -> InitialAdmin.bootstrap(false, false, dataDir, hasher, properties -> {
            throw new IOException("configuration store is read-only");
        })).hasMessage("configuration store is read-only");

        assertThat(InitialAdmin.passwordFile(dataDir)).doesNotExist();
    }

    @Test
    void existing_secrets_folder_is_made_owner_only() throws Exception {
        Files.createDirectories(dataDir.resolve("secrets"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        InitialAdmin.bootstrap(false, false, dataDir, hasher, created::add);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("secrets"))))
                .isEqualTo("rwx------");
    }

    @Test
    void random_passwords_are_twenty_letters_and_digits_and_differ() {
        SecureRandom random = new SecureRandom();
        String first = new String(InitialAdmin.randomPassword(random));
        String second = new String(InitialAdmin.randomPassword(random));

        assertThat(first).matches("[A-Za-z0-9]{20}");
        assertThat(second).matches("[A-Za-z0-9]{20}").isNotEqualTo(first);
    }
}
