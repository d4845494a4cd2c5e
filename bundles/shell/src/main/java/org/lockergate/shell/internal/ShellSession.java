package org.lockergate.shell.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.ShellSessions;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * One remote shell connection: banner, login through the {@link IdentityService}, then Gogo commands line by line
 * until the client logs out, goes idle, disconnects or the shell stops. Runs on one pool thread; {@link #close()}
 * may be called from any thread and ends it promptly.
 */
final class ShellSession implements Runnable {

    /** Longest accepted input line in bytes; a longer one closes the connection. */
    static final int MAX_LINE_BYTES = 4096;

    /**
     * The login prompts wait at most this long (or the idle timeout when shorter), so silent connections cannot hold
     * the few session slots for long.
     */
    static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(1);

    private static final Set<String> EXIT_COMMANDS = Set.of("exit", "quit", "logout");
    private static final byte[] WILL_ECHO = {
        (byte) TelnetInputStream.IAC, (byte) TelnetInputStream.WILL, TelnetInputStream.ECHO, '\r', 0
    };
    private static final byte[] WONT_ECHO = {
        (byte) TelnetInputStream.IAC, (byte) TelnetInputStream.WONT, TelnetInputStream.ECHO, '\r', 0
    };

    private final Socket socket;
    private final CommandProcessor processor;
    private final IdentityService identity;
    /** Where commands look up who runs this session (session variables can be overwritten by the user). */
    private final ShellSessions shellSessions;
    private final ShellSettings settings;
    private final ShellLog log;
    private final Consumer<ShellSession> onEnd;
    /** The client's IP address: the origin the identity service throttles by. */
    private final String origin;
    /** The client's address and port, for the log. */
    private final String remote;

    private volatile boolean closing;
    /** The thread running a command right now, to interrupt on {@link #close()}. */
    private volatile Thread commandThread;
    private TelnetInputStream in;
    private OutputStream out;

    ShellSession(Socket socket, CommandProcessor processor, IdentityService identity, ShellSessions shellSessions,
            ShellSettings settings, ShellLog log, Consumer<ShellSession> onEnd) {
        this.socket = socket;
        this.processor = processor;
        this.identity = identity;
        this.shellSessions = shellSessions;
        this.settings = settings;
        this.log = log;
        this.onEnd = onEnd;
        this.origin = socket.getInetAddress().getHostAddress();
        this.remote = hostAndPort(socket.getInetAddress(), socket.getPort());
    }

    @Override
    public void run() {
        String user = null;
        String ending = "closed by client";
        try {
            Duration idle = settings.idleTimeout();
            socket.setSoTimeout(millis(idle.compareTo(LOGIN_TIMEOUT) < 0 ? idle : LOGIN_TIMEOUT));
            in = new TelnetInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new NvtOutputStream(socket.getOutputStream());
            print(Messages.BANNER);
            Operator operator = login();
            if (operator != null) {
                user = operator.username();
                socket.setSoTimeout(millis(idle));
                ending = commandLoop(operator);
            } else {
                ending = "login refused";
            }
        } catch (SocketTimeoutException e) {
            ending = "idle timeout";
            printQuietly("\n" + Messages.IDLE_TIMEOUT + "\n");
        } catch (TelnetInputStream.LineTooLongException e) {
            ending = "line too long";
            printQuietly("\n" + Messages.LINE_TOO_LONG + "\n");
        } catch (IOException e) {
            ending = closing ? "shell stopped" : "connection lost";
        } catch (RuntimeException e) {
            ending = "internal error";
            log.error("Remote shell session from " + remote + " failed: " + e);
        } finally {
            if (user != null) {
                log.info("Remote shell session ended: user '" + Messages.forLog(user) + "' from " + remote
                        + " (" + ending + ")");
            } else {
                log.debug("Remote shell connection from " + remote + " closed before login (" + ending + ")");
            }
            onEnd.accept(this); // before the client sees the end, so it can reconnect into the freed slot at once
            closeSocket();
        }
    }

    /** Ends the session from another thread: a read or write in progress fails at once, a command is interrupted. */
    void close() {
        closing = true;
        closeSocket();
        Thread running = commandThread;
        if (running != null) {
            running.interrupt();
        }
    }

    String remote() {
        return remote;
    }

    /** Returns the operator once logged in with an allowed role, or {@code null} when the connection must close. */
    private Operator login() throws IOException {
        int attempts = settings.maxLoginAttempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            print(Messages.USERNAME_PROMPT);
            String line = in.readLine(MAX_LINE_BYTES);
            if (line == null) {
                return null;
            }
            String username = line.strip();
            if (username.isEmpty()) {
                print(Messages.USERNAME_REQUIRED + "\n");
                continue;
            }
            char[] password = readPassword();
            if (password == null) {
                return null;
            }
            try {
                Operator operator = identity.verify(username, password, origin);
                if (!operator.hasAnyRole(settings.allowedRoles().toArray(Role[]::new))) {
                    log.warn("Remote shell login refused: user '" + Messages.forLog(operator.username()) + "' from "
                            + remote + " lacks the role (has " + roleIds(operator.roles()) + ")");
                    print(Messages.permissionDenied(settings.allowedRoles()) + "\n");
                    return null;
                }
                log.info("Remote shell login: user '" + Messages.forLog(operator.username()) + "' "
                        + roleIds(operator.roles()) + " from " + remote);
                print(Messages.welcome(operator.username()));
                return operator;
            } catch (AuthenticationException e) {
                log.warn("Remote shell login failed: user '" + Messages.forLog(username) + "' from " + remote
                        + " (" + e.reason() + ", attempt " + attempt + " of " + attempts + ")");
                print(Messages.loginFailed(e) + "\n");
                if (e.reason() == AuthenticationException.Reason.LOCKED) {
                    return null;
                }
            } catch (RuntimeException e) {
                log.error("Remote shell login of user '" + Messages.forLog(username) + "' from " + remote
                        + " failed in the identity service: " + e);
                print(Messages.IDENTITY_UNAVAILABLE + "\n");
                return null;
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        log.warn("Remote shell: closing connection from " + remote + " after " + attempts + " failed logins");
        print(Messages.TOO_MANY_ATTEMPTS + "\n");
        return null;
    }

    /**
     * Asks the client not to echo (telnet {@code IAC WILL ECHO}) while the password is typed. Plain TCP clients
     * ignore that; the CR after each negotiation puts the cursor back so the next text covers the stray bytes.
     */
    private char[] readPassword() throws IOException {
        out.write(WILL_ECHO);
        print(Messages.PASSWORD_PROMPT);
        char[] password = in.readSecretLine(MAX_LINE_BYTES);
        if (password != null) {
            print("\n"); // the client did not echo the Enter key either
            out.write(WONT_ECHO);
        }
        return password;
    }

    /** Runs commands until the session ends; returns why it ended. */
    private String commandLoop(Operator operator) throws IOException {
        CommandSession session = processor.createSession(in, out, out);
        shellSessions.bind(session, operator);
        try {
            session.put("lockergate.user", operator.username());
            session.put("lockergate.origin", origin);
            while (true) {
                print(Messages.COMMAND_PROMPT);
                String line = in.readLine(MAX_LINE_BYTES);
                if (line == null) {
                    return "closed by client";
                }
                String command = line.strip();
                if (command.isEmpty()) {
                    continue;
                }
                if (EXIT_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
                    print(Messages.BYE + "\n");
                    return "logout";
                }
                log.debug("Remote shell: user '" + Messages.forLog(operator.username()) + "' from " + remote
                        + " runs: " + Messages.forLog(command));
                execute(session, command);
                if (closing) {
                    return "shell stopped";
                }
            }
        } finally {
            shellSessions.unbind(session);
            session.close();
        }
    }

    private void execute(CommandSession session, String command) throws IOException {
        Object result;
        commandThread = Thread.currentThread();
        try {
            if (closing) {
                return; // close() ran before it could see this command
            }
            result = session.execute(command);
        } catch (Exception | LinkageError | StackOverflowError e) { // a command's failure never ends the session
            if (!closing) {
                print(Messages.error(e) + "\n");
            }
            return;
        } finally {
            commandThread = null;
        }
        if (result != null) {
            CharSequence text;
            try {
                text = session.format(result, Converter.INSPECT);
            } catch (RuntimeException e) {
                text = String.valueOf(result);
            }
            print(text + "\n");
        }
    }

    private void print(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void printQuietly(String text) {
        if (out == null || closing) {
            return;
        }
        try {
            print(text);
        } catch (IOException e) {
            // the client is gone; nothing to tell
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static String roleIds(Set<Role> roles) {
        return roles.stream().sorted().map(Role::id).toList().toString();
    }

    static String hostAndPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
