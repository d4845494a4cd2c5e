package org.lockergate.shell.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What Gogo commands write, as a network terminal expects it: a bare LF becomes CR LF (so PuTTY in raw mode and
 * Windows telnet do not draw staircases), every write is flushed, and {@link #close()} does not close the socket
 * (the session owns it).
 */
final class NvtOutputStream extends FilterOutputStream {

    private boolean lastWasCr;

    NvtOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n' && !lastWasCr) {
            out.write('\r');
        }
        out.write(b);
        lastWasCr = b == '\r';
        out.flush();
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n' && !(i > offset ? bytes[i - 1] == '\r' : lastWasCr)) {
                out.write(bytes, start, i - start);
                out.write('\r');
                start = i;
            }
        }
        out.write(bytes, start, end - start);
        if (length > 0) {
            lastWasCr = bytes[end - 1] == '\r';
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
