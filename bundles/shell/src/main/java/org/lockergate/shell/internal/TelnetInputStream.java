package org.lockergate.shell.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client's bytes with telnet commands removed, plus a line reader for the login prompts and the command loop.
 *
 * <p>Plain TCP clients ({@code nc}) send no telnet commands; telnet clients answer the server's echo negotiation
 * ({@code IAC DO ECHO}, {@code IAC DONT ECHO}) and may send others (interrupt, sub-negotiations). All of them are
 * dropped here; {@code IAC IAC} stands for a data byte 255. The stream never reads ahead, so a Gogo command that reads
 * the session's input gets exactly the bytes after the current line.
 */
final class TelnetInputStream extends FilterInputStream {

    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int SE = 240;
    static final int ECHO = 1;

    private enum State { DATA, COMMAND, OPTION, SUB, SUB_IAC }

    private State state = State.DATA;
    /** A line ended with CR: drop one LF or NUL that follows (CR LF from most clients, CR NUL from telnet). */
    private boolean afterCr;

    TelnetInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            int data = filter(b);
            if (data >= 0) {
                return data;
            }
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                return -1;
            }
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int data = filter(buffer[offset + i] & 0xFF);
                if (data >= 0) {
                    buffer[offset + kept++] = (byte) data;
                }
            }
            if (kept > 0) {
                return kept;
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0; // unknown: what is buffered below may be telnet commands only
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Returns the data byte {@code b} stands for, or -1 when it belongs to a telnet command. */
    private int filter(int b) {
        switch (state) {
            case DATA:
                if (b == IAC) {
                    state = State.COMMAND;
                    return -1;
                }
                return b;
            case COMMAND:
                if (b == IAC) {
                    state = State.DATA;
                    return IAC;
                }
                state = (b >= WILL && b <= DONT) ? State.OPTION : b == SB ? State.SUB : State.DATA;
                return -1;
            case OPTION:
                state = State.DATA;
                return -1;
            case SUB:
                if (b == IAC) {
                    state = State.SUB_IAC;
                }
                return -1;
            case SUB_IAC:
                state = b == SE ? State.DATA : State.SUB;
                return -1;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    /**
     * Reads one line (ended by CR LF, CR NUL, CR or LF) as UTF-8 without its ending. Backspace and DEL remove the
     * previous character, for clients that send every key stroke.
     *
     * @return the line, or {@code null} at end of stream
     * @throws LineTooLongException when the line has more than {@code maxBytes} bytes
     */
    String readLine(int maxBytes) throws IOException {
        byte[] line = readLineBytes(maxBytes);
        return line == null ? null : new String(line, StandardCharsets.UTF_8);
    }

    /**
     * Like {@link #readLine} for a password: the characters come back in an array the caller wipes, and no
     * {@code String} copy of them is ever made.
     */
    char[] readSecretLine(int maxBytes) throws IOException {
        byte[] line = readLineBytes(maxBytes);
        if (line == null) {
            return null;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(line));
        char[] secret = new char[chars.remaining()];
        chars.get(secret);
        Arrays.fill(line, (byte) 0);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return secret;
    }

    private byte[] readLineBytes(int maxBytes) throws IOException {
        byte[] buffer = new byte[maxBytes];
        int length = 0;
        try {
            while (true) {
                int b = read();
                if (b < 0) {
                    return length == 0 ? null : Arrays.copyOf(buffer, length);
                }
                if (afterCr) {
                    afterCr = false;
                    if (b == '\n' || b == 0) {
                        continue;
                    }
                }
                if (b == '\r') {
                    afterCr = true;
                    return Arrays.copyOf(buffer, length);
                }
                if (b == '\n') {
                    return Arrays.copyOf(buffer, length);
                }
                if (b == 0x08 || b == 0x7F) {
                    length = lengthWithoutLastCharacter(buffer, length);
                    continue;
                }
                if (length == maxBytes) {
                    throw new LineTooLongException(maxBytes);
                }
                buffer[length++] = (byte) b;
            }
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    private static int lengthWithoutLastCharacter(byte[] line, int length) {
        int end = length;
        // drop UTF-8 continuation bytes, then the lead byte
        while (end > 0 && (line[end - 1] & 0xC0) == 0x80) {
            end--;
        }
        return end > 0 ? end - 1 : 0;
    }

    /** A line longer than the session accepts. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int maxBytes) {
            super("line longer than " + maxBytes + " bytes");
        }
    }
}
