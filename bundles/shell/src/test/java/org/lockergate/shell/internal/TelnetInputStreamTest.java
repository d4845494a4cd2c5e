package org.lockergate.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelnetInputStreamTest {

    private static TelnetInputStream input(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return new TelnetInputStream(new ByteArrayInputStream(data));
    }

    private static TelnetInputStream input(String text) {
        return new TelnetInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void telnet_negotiations_and_commands_are_dropped() throws IOException {
        TelnetInputStream in = input(255, 253, 1, 'o', 255, 244, 'k', 255, 250, 24, 0, 'x', 255, 240, '!');

        assertThat(in.readAllBytes()).containsExactly('o', 'k', '!');
    }

    @Test
    void a_doubled_iac_is_one_data_byte_255() throws IOException {
        assertThat(input(255, 255, 'a').readAllBytes()).containsExactly((byte) 255, 'a');
    }

    @Test
    void lines_end_with_crlf_cr_nul_cr_or_lf() throws IOException {
        TelnetInputStream in = input("one\r\ntwo\r\0three\nfour\rfive");

        assertThat(in.readLine(100)).isEqualTo("one");
        assertThat(in.readLine(100)).isEqualTo("two");
        assertThat(in.readLine(100)).isEqualTo("three");
        assertThat(in.readLine(100)).isEqualTo("four");
        assertThat(in.readLine(100)).isEqualTo("five");
        assertThat(in.readLine(100)).isNull();
    }

    @Test
    void an_empty_line_is_not_the_end_of_the_stream() throws IOException {
        TelnetInputStream in = input("\r\n\r\nx\n");

        assertThat(in.readLine(100)).isEmpty();
        assertThat(in.readLine(100)).isEmpty();
        assertThat(in.readLine(100)).isEqualTo("x");
    }

    @Test
    void chinese_text_is_utf8_and_backspace_erases_a_whole_character() throws IOException {
        assertThat(input("柜子\b格口\u007f\n").readLine(100)).isEqualTo("柜格");
    }

    @Test
    void a_line_longer_than_allowed_is_refused() {
        assertThatThrownBy(() -> input("abcdef\n").readLine(5))
                .isInstanceOf(TelnetInputStream.LineTooLongException.class);
    }

    @Test
    void a_secret_line_comes_back_as_characters() throws IOException {
        TelnetInputStream in = input("pässwörd\r\nnext\n");

        assertThat(in.readSecretLine(100)).containsExactly("pässwörd".toCharArray());
        assertThat(in.readLine(100)).isEqualTo("next");
    }

    @Test
    void bulk_reads_drop_telnet_commands_too() throws IOException {
        TelnetInputStream in = input(255, 251, 1, 'a', 'b', 255, 255, 'c');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[3];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            assertThat(n).isPositive();
            out.write(buffer, 0, n);
        }

        assertThat(out.toByteArray()).containsExactly('a', 'b', (byte) 255, 'c');
    }
}
