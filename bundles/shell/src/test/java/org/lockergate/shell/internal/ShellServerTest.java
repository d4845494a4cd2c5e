package org.lockergate.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lockergate.identity.Operator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockergate.identity.Role;

/** The remote shell over real sockets, with a real Gogo runtime and a fake identity service. */
class ShellServerTest {

    private static ThreadIOImpl threadIO;

    private final MapShellSessions shellSessions = new MapShellSessions();
    private final FakeIdentityService identity = new FakeIdentityService()
            .with("tech", "s3cret-tech", Role.TECHNICIAN)
            .with("root", "s3cret-root", Role.ADMIN)
            .with("concierge", "s3cret-prop", Role.PROPERTY)
            .locked("blocked");
    private final RecordingLog log = new RecordingLog();
    private final List<ShellClient> clients = new ArrayList<>();
    private CommandProcessorImpl processor;
    private ShellServer server;

    /** Commands the tests run through Gogo. */
    public static class TestCommands {
        public String hello(String name) {
            return "hello " + name;
        }

        public Object whoami(CommandSession session) {
            return session.get("lockergate.user");
        }

        public void shout(String text) {
            System.out.println(text.toUpperCase());
        }

        public void jam() {
            throw new IllegalStateException("compartment A-12 is jammed\nsecond line");
        }

        public String nap(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return "rested";
        }
    }

    @BeforeAll
    static void startThreadIO() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
    }

    @AfterAll
    static void stopThreadIO() {
        threadIO.stop();
    }

    @AfterEach
    void stop() throws IOException {
        for (ShellClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (processor != null) {
            processor.stop();
        }
    }

    private ShellServer start(int maxSessions, Duration idleTimeout, Set<Role> allowed) throws IOException {
        processor = new CommandProcessorImpl(threadIO);
        TestCommands commands = new TestCommands();
        for (String function : List.of("hello", "whoami", "shout", "jam", "nap")) {
            processor.addCommand("test", commands, function);
        }
        server = new ShellServer(processor, identity, shellSessions,
                new ShellSettings("127.0.0.1", 0, maxSessions, idleTimeout, allowed, 3), log);
        server.start();
        return server;
    }

    private ShellServer start() throws IOException {
        return start(4, Duration.ofMinutes(15), Set.of(Role.ADMIN, Role.TECHNICIAN));
    }

    private ShellClient connect() throws IOException {
        ShellClient client = ShellClient.connect(server.port());
        clients.add(client);
        return client;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void logs_the_port_it_actually_bound_when_asked_for_port_zero() throws IOException {
        start();

        assertThat(server.port()).isPositive();
        assertThat(log.at("INFO")).contains("INFO Remote shell listening on 127.0.0.1:" + server.port());
    }

    @Test
    void technician_logs_in_and_sees_the_result_of_a_command() throws IOException {
        start();
        ShellClient client = connect();

        assertThat(client.readUntil("Username: ")).contains("LockerGate 远程 shell / remote shell");
        client.send("tech");
        client.readUntil("Password: ");
        client.send("s3cret-tech");
        assertThat(client.readUntil("lockergate> ")).contains("欢迎 / Welcome, tech");
        client.send("hello world");

        assertThat(client.readUntil("lockergate> ")).isEqualTo("hello world\nlockergate> ");
    }

    @Test
    void a_session_is_bound_to_its_operator_while_it_runs_and_unbound_after() throws Exception {
        start();
        ShellClient client = connect();
        client.readUntil("Username: ");
        client.send("tech");
        client.readUntil("Password: ");
        client.send("s3cret-tech");
        client.readUntil("lockergate> ");

        assertThat(shellSessions.bound.values()).extracting(Operator::username).containsExactly("tech");

        client.send("exit");
        long deadline = System.currentTimeMillis() + 5_000;
        while (!shellSessions.bound.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(shellSessions.bound).isEmpty();
    }

    @Test
    void the_session_knows_who_logged_in() throws IOException {
        start();
        ShellClient client = connect().login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");

        client.send("whoami");

        assertThat(client.readUntil("lockergate> ")).startsWith("tech\n");
    }

    @Test
    void what_a_command_prints_reaches_the_client() throws IOException {
        start();
        ShellClient client = connect().login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");

        client.send("shout quiet");

        assertThat(client.readUntil("lockergate> ")).isEqualTo("QUIET\nlockergate> ");
    }

    @Test
    void a_failing_command_prints_one_error_line_and_the_session_goes_on() throws IOException {
        start();
        ShellClient client = connect().login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");

        client.send("jam");
        String answer = client.readUntil("lockergate> ");
        client.send("nosuchcommand");
        String unknown = client.readUntil("lockergate> ");

        assertThat(answer).isEqualTo("错误 / Error: compartment A-12 is jammed second line\nlockergate> ");
        assertThat(unknown).startsWith("错误 / Error: ").contains("nosuchcommand").doesNotContain("\tat ");
        assertThat(unknown.lines()).hasSize(2);
    }

    @Test
    void wrong_password_is_refused_and_the_third_failure_closes_the_connection() throws IOException {
        start();
        ShellClient client = connect();

        for (int attempt = 1; attempt <= 3; attempt++) {
            client.login("tech", "guess-" + attempt);
            assertThat(client.readUntil(FakeIdentityService.BAD_CREDENTIALS)).contains("登录失败 / Login failed: ");
        }

        assertThat(client.readToEnd()).contains("Too many failed logins").doesNotContain("Username");
        assertThat(identity.origins).containsExactly("127.0.0.1", "127.0.0.1", "127.0.0.1");
        assertThat(log.at("WARN")).filteredOn(line -> line.contains("login failed: user 'tech' from 127.0.0.1:"))
                .hasSize(3);
    }

    @Test
    void a_wrong_password_can_be_followed_by_the_right_one() throws IOException {
        start();
        ShellClient client = connect();

        client.login("tech", "typo");
        client.readUntil(FakeIdentityService.BAD_CREDENTIALS);
        client.login("tech", "s3cret-tech");

        assertThat(client.readUntil("lockergate> ")).contains("Welcome, tech");
    }

    @Test
    void a_locked_account_is_told_so_and_closed() throws IOException {
        start();
        ShellClient client = connect().login("blocked", "whatever");

        assertThat(client.readToEnd()).contains("登录失败 / Login failed: " + FakeIdentityService.LOCKED)
                .doesNotContain("Username");
        assertThat(log.at("WARN")).anyMatch(line -> line.contains("user 'blocked'") && line.contains("LOCKED"));
    }

    @Test
    void an_operator_without_an_allowed_role_is_refused() throws IOException {
        start();
        ShellClient client = connect().login("concierge", "s3cret-prop");

        assertThat(client.readToEnd())
                .contains("权限不足 / Permission denied: role admin or technician required")
                .doesNotContain("lockergate> ");
        assertThat(log.at("WARN")).anyMatch(line -> line.contains("refused: user 'concierge'"));
    }

    @Test
    void an_admin_may_log_in_even_when_only_technicians_are_listed() throws IOException {
        start(4, Duration.ofMinutes(15), Set.of(Role.TECHNICIAN));
        ShellClient client = connect().login("root", "s3cret-root");

        assertThat(client.readUntil("lockergate> ")).contains("Welcome, root");
    }

    @Test
    void logins_are_audited_without_the_password() throws IOException {
        start();
        ShellClient client = connect();
        client.login("tech", "wrong-pass-123");
        client.readUntil("Login failed");
        client.login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");
        client.send("exit");
        client.readToEnd();

        assertThat(log.at("INFO")).anyMatch(line -> line.matches(
                "INFO Remote shell login: user 'tech' \\[technician] from 127\\.0\\.0\\.1:\\d+"));
        assertThat(log.at("INFO")).anyMatch(line -> line.matches(
                "INFO Remote shell session ended: user 'tech' from 127\\.0\\.0\\.1:\\d+ \\(logout\\)"));
        assertThat(log.lines).noneMatch(line -> line.contains("wrong-pass-123") || line.contains("s3cret-tech"));
    }

    @Test
    void the_password_prompt_turns_client_echo_off_and_back_on() throws IOException {
        start();
        ShellClient client = connect();
        client.readUntil("Username: ");
        client.send("tech");
        client.readUntil("Password: ");

        assertThat(client.telnet).containsExactly("WILL ECHO");
        client.send("s3cret-tech");
        client.readUntil("Welcome");
        assertThat(client.telnet).containsExactly("WILL ECHO", "WONT ECHO");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "quit", "logout", "EXIT"})
    void exit_words_end_the_session(String word) throws IOException, InterruptedException {
        start();
        ShellClient client = connect().login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");

        client.send(word);

        assertThat(client.readToEnd()).isEqualTo("再见 / Bye\n");
        await(() -> server.activeSessions() == 0);
    }

    @Test
    void an_idle_session_is_closed() throws IOException {
        start(4, Duration.ofMillis(300), Set.of(Role.TECHNICIAN));
        ShellClient client = connect().login("tech", "s3cret-tech");
        client.readUntil("lockergate> ");
        long before = System.nanoTime();

        assertThat(client.readToEnd()).contains("空闲超时，连接已关闭 / Idle timeout, connection closed");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
        assertThat(log.at("INFO")).anyMatch(line -> line.endsWith("(idle timeout)"));
    }

    @Test
    void a_connection_silent_at_the_login_prompt_is_closed_and_frees_its_slot() throws IOException {
        start(1, Duration.ofMillis(300), Set.of(Role.TECHNICIAN));
        ShellClient silent = connect();

        assertThat(silent.readToEnd()).contains("Idle timeout");
        assertThat(connect().readUntil("Username: ")).contains("LockerGate");
    }

    @Test
    void connections_beyond_the_maximum_are_told_busy_and_a_freed_slot_is_reused()
            throws IOException, InterruptedException {
        start(2, Duration.ofMinutes(15), Set.of(Role.TECHNICIAN));
        ShellClient first = connect();
        first.readUntil("Username: ");
        connect().readUntil("Username: ");

        assertThat(connect().readToEnd()).contains("Busy: all 2 remote shell sessions are in use");

        first.close();
        await(() -> server.activeSessions() == 1);
        assertThat(connect().readUntil("Username: ")).contains("LockerGate");
    }

    @Test
    void closing_ends_every_session_promptly_even_a_running_command() throws IOException, InterruptedException {
        start();
        ShellClient atPrompt = connect();
        atPrompt.readUntil("Username: ");
        ShellClient loggedIn = connect().login("tech", "s3cret-tech");
        loggedIn.readUntil("lockergate> ");
        ShellClient busy = connect().login("root", "s3cret-root");
        busy.readUntil("lockergate> ");
        busy.send("nap 60000");
        Thread.sleep(100);

        long before = System.nanoTime();
        server.close();
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        atPrompt.readToEnd();
        loggedIn.readToEnd();
        busy.readToEnd();
        assertThat(server.activeSessions()).isZero();
        assertThat(log.at("INFO")).contains("INFO Remote shell stopped");
        assertThatThrownBy(() -> ShellClient.connect(server.port())).isInstanceOf(IOException.class);
    }

    @Test
    void a_port_in_use_gives_one_precise_error_line() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            processor = new CommandProcessorImpl(threadIO);
            server = new ShellServer(processor, identity, shellSessions, new ShellSettings("127.0.0.1", port, 4,
                    Duration.ofMinutes(15), Set.of(Role.TECHNICIAN), 3), log);

            assertThatThrownBy(server::start).isInstanceOf(IOException.class);
            assertThat(log.at("ERROR")).containsExactly("ERROR 远程 shell 无法监听 127.0.0.1:" + port
                    + "（端口已被占用）/ Remote shell cannot listen on 127.0.0.1:" + port + " (port already in use)");
            server.close();
            server = null;
        }
    }

    @Test
    void an_overlong_line_closes_the_connection() throws IOException {
        start();
        ShellClient client = connect();
        client.readUntil("Username: ");

        client.send("x".repeat(ShellSession.MAX_LINE_BYTES + 1));

        assertThat(client.readToEnd()).contains("Line too long");
    }
}
