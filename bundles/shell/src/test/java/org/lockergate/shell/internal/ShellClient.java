package org.lockergate.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw TCP client like {@code nc}: keeps the text it received (telnet commands, CR and NUL removed) and the telnet
 * commands apart.
 */
final class ShellClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int consumed;
    /** Telnet commands received, e.g. "WILL ECHO". */
    final List<String> telnet = new ArrayList<>();
    /** Text received, with the position (in text) where each telnet command came. */
    final List<Integer> telnetPositions = new ArrayList<>();

    private ShellClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static ShellClient connect(int port) throws IOException {
        return new ShellClient(new Socket("127.0.0.1", port));
    }

    ShellClient login(String username, String password) throws IOException {
        readUntil("Username: ");
        send(username);
        readUntil("Password: ");
        send(password);
        return this;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until {@code marker} arrives; returns the text from the previous call up to and including it. */
    String readUntil(String marker) throws IOException {
        while (true) {
            String text = text();
            int at = text.indexOf(marker, consumed);
            if (at >= 0) {
                String piece = text.substring(consumed, at + marker.length());
                consumed = at + marker.length();
                return piece;
            }
            if (readSome() < 0) {
                throw new AssertionError("connection closed before \"" + marker + "\"; received: " + text);
            }
        }
    }

    /** Reads until the server closes the connection; returns the text not read yet. */
    String readToEnd() throws IOException {
        while (readSome() >= 0) {
            // keep reading
        }
        String text = text();
        String rest = text.substring(consumed);
        consumed = text.length();
        return rest;
    }

    /** Everything received so far. */
    String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    private int readSome() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing received for 5 s; received so far: " + text(), e);
        } catch (SocketException e) {
            return -1; // reset by the server counts as closed
        }
        if (b < 0) {
            return -1;
        }
        if (b == TelnetInputStream.IAC) {
            int command = in.read();
            int option = in.read();
            String name = switch (command) {
                case TelnetInputStream.WILL -> "WILL";
                case TelnetInputStream.WONT -> "WONT";
                case TelnetInputStream.DO -> "DO";
                case TelnetInputStream.DONT -> "DONT";
                default -> "IAC " + command;
            };
            telnet.add(name + (option == TelnetInputStream.ECHO ? " ECHO" : " " + option));
            telnetPositions.add(text().length());
        } else if (b != '\r' && b != 0) {
            received.write(b);
        }
        return 1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
