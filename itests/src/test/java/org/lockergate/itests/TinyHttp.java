package org.lockergate.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A one-file HTTP server on loopback; {@code truncated} announces more bytes than it sends, then hangs up. */
public final class TinyHttp implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    public TinyHttp(byte[] body, boolean truncated) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.write(b);
                    }
                    OutputStream out = socket.getOutputStream();
                    int sent = truncated ? body.length / 2 : body.length;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/java-archive\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, 0, sent);
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "itest-http");
        thread.setDaemon(true);
        thread.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/vendor.jar");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
