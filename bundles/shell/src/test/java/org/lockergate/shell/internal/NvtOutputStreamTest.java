package org.lockergate.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NvtOutputStreamTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final NvtOutputStream out = new NvtOutputStream(sink);

    private String written() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_bare_line_feed_becomes_crlf() throws IOException {
        out.write("a\nb\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(written()).isEqualTo("a\r\nb\r\n\r\n");
    }

    @Test
    void crlf_stays_as_it_is_even_when_split_between_writes() throws IOException {
        out.write("a\r\n".getBytes(StandardCharsets.UTF_8));
        out.write("b\r".getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.write('c');
        out.write('\n');

        assertThat(written()).isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test
    void closing_does_not_close_the_socket_stream() throws IOException {
        boolean[] closed = {false};
        NvtOutputStream wrapped = new NvtOutputStream(new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        });

        wrapped.close();

        assertThat(closed[0]).isFalse();
    }
}
