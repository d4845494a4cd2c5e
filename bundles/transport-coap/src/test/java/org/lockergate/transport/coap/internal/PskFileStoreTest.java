package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PSK file: created owner-only, written atomically, reloaded after a hand edit, keys never logged. */
class PskFileStoreTest {

    private static final String KEY_HEX = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final byte[] KEY = HexFormat.of().parseHex(KEY_HEX);

    @TempDir
    Path data;

    @Test
    void the_file_and_folder_are_created_owner_only() throws Exception {
        PskFileStore store = new PskFileStore(PskFileStore.defaultFile(data));

        store.open();

        Path file = data.resolve("secrets/coap-psk.properties");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(store.identities()).isEmpty();
    }

    @Test
    void put_and_remove_are_written_and_survive_a_restart_without_logging_keys() throws Exception {
        PskFileStore store = new PskFileStore(PskFileStore.defaultFile(data));
        store.open();
        try (LogCapture log = new LogCapture()) {
            store.put("c1", KEY);
            store.put("kiosk-g1", KEY);
            assertThat(store.remove("kiosk-g1")).isTrue();
            assertThat(store.remove("nobody")).isFalse();

            PskFileStore reopened = new PskFileStore(PskFileStore.defaultFile(data));
            reopened.open();
            assertThat(reopened.identities()).containsExactly("c1");
            assertThat(reopened.key("c1")).isEqualTo(KEY);
            assertThat(log.text()).doesNotContain(KEY_HEX);
        }
        Path file = PskFileStore.defaultFile(data);
        assertThat(Files.readString(file)).contains("c1=" + KEY_HEX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file.resolveSibling("coap-psk.properties.tmp")).doesNotExist();
    }

    @Test
    void a_hand_edit_is_reloaded_bad_lines_skipped_and_permissions_tightened() throws Exception {
        PskFileStore store = new PskFileStore(PskFileStore.defaultFile(data));
        store.open();
        store.put("c1", KEY);
        Path file = PskFileStore.defaultFile(data);
        assertThat(store.reloadIfChanged()).isFalse(); // our own write is not a change

        try (LogCapture log = new LogCapture()) {
            Files.writeString(file, "# edited\nc2 = " + KEY_HEX.toUpperCase() + "\nshort=0011\nnot a line\n"
                    + "bad id!=" + KEY_HEX + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()
                    + 5000));

            assertThat(store.reloadIfChanged()).isTrue();

            assertThat(store.identities()).containsExactly("c2");
            assertThat(store.contains("c1")).isFalse();
            assertThat(log.lines("WARN")).hasSize(4); // three bad lines and the permissions
            assertThat(log.text()).contains("line 3 ignored", "line 4 ignored", "line 5 ignored", "was rw-r--r--")
                    .doesNotContain(KEY_HEX).doesNotContain(KEY_HEX.toUpperCase());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void identities_and_keys_outside_the_limits_are_refused() throws Exception {
        PskFileStore store = new PskFileStore(PskFileStore.defaultFile(data));
        store.open();

        assertThatThrownBy(() -> store.put("has space", KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("c1", new byte[8])).hasMessageContaining("16-64 bytes");
        assertThat(store.identities()).isEmpty();
    }
}
