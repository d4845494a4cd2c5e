package org.lockergate.identity.internal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.lockergate.identity.ShellSessions;
import org.apache.felix.service.command.Descriptor;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands {@code identity:operators}, {@code identity:hash} and {@code identity:passwd}. Gogo calls
 * public methods by name and prints what they return (or the message of what they throw); a first parameter of
 * type {@link CommandSession} receives the caller's session.
 */
@Component(
        service = IdentityCommands.class,
        property = {
            "osgi.command.scope=identity",
            "osgi.command.function=operators",
            "osgi.command.function=hash",
            "osgi.command.function=passwd"
        })
public class IdentityCommands {

    /** Session variable the remote shell sets to the logged-in operator's user name. */
    static final String USER_VARIABLE = "lockergate.user";

    /** Who resets a password from the local console: whoever runs the gateway's process, trusted as admin. */
    static final Operator LOCAL_CONSOLE = new Operator("(local console)", Set.of(Role.ADMIN), null);

    static final String HISTORY_WARNING = "警告：新密码写在了命令行上，可能会留在 shell 的历史记录中 / Warning: the new "
            + "password is on the command line and may remain in the shell history";

    private final IdentityService identity;
    private final PasswordHasher hasher;
    private final ShellSessions sessions;

    @Activate
    public IdentityCommands(@Reference(name = "identity") IdentityService identity,
            @Reference(name = "sessions") ShellSessions sessions) {
        this(identity, new PasswordHasher(), sessions);
    }

    IdentityCommands(IdentityService identity, PasswordHasher hasher, ShellSessions sessions) {
        this.identity = identity;
        this.hasher = hasher;
        this.sessions = sessions;
    }

    /** One line per configured operator: user name, roles, company. Never a hash. */
    public String operators() {
        if (identity.operators().isEmpty()) {
            return "没有配置操作员 / No operators configured";
        }
        String header = String.format("%-24s %-40s %s%n", "USERNAME", "ROLES", "COMPANY");
        return identity.operators().stream()
                .map(operator -> String.format("%-24s %-40s %s", operator.username(), roles(operator),
                        operator.company() == null ? "" : operator.company()).stripTrailing())
                .collect(Collectors.joining(System.lineSeparator(), header, ""));
    }

    /** The PHC hash of a password, for {@code passwordHash} in an operator configuration. */
    public String hash(String password) {
        return hasher.hash(password.toCharArray());
    }

    /**
     * An admin sets an operator's password ({@link IdentityService#resetPassword}). On the remote shell the session
     * variable {@value #USER_VARIABLE} names the logged-in operator, who must be an admin; the local console (no
     * such variable) is trusted. The password is an argument because a command cannot read hidden input reliably
     * over the remote shell; a warning says that it may stay in the shell history.
     */
    @Descriptor("重置操作员的密码（仅管理员）；该操作员的所有会话随即结束 / Set an operator's password (admins only); all of "
            + "that operator's sessions end")
    public String passwd(CommandSession session,
            @Descriptor("用户名 / user name") String username,
            @Descriptor("新密码，至少 10 个字符 / new password, at least 10 characters") String newPassword)
            throws PasswordPolicyException {
        PrintStream console = session == null ? null : session.getConsole();
        if (console != null) {
            console.println(HISTORY_WARNING);
        }
        Operator by = caller(session);
        char[] password = newPassword.toCharArray();
        try {
            identity.resetPassword(username, password, by);
        } finally {
            Arrays.fill(password, '\0');
        }
        String done = "已重置 " + username + " 的密码，该操作员的所有会话均已结束 / Password of " + username
                + " reset; all of that operator's sessions have ended";
        return console == null ? HISTORY_WARNING + System.lineSeparator() + done : done;
    }

    /** Without the new password: says how to call it, rather than Gogo's "cannot coerce". */
    public String passwd(CommandSession session, String username) {
        throw new IllegalArgumentException("用法 / Usage: identity:passwd <username> <newPassword>"
                + "（密码会出现在命令行上 / the password is typed on the command line）");
    }

    /**
     * The operator the remote shell bound to this session (not a session variable: the user can change those), who
     * must be an admin now; the local console when the session was never bound.
     */
    private Operator caller(CommandSession session) {
        Optional<Operator> remote = sessions.operatorOf(session);
        if (remote.isEmpty()) {
            return LOCAL_CONSOLE;
        }
        String name = remote.get().username();
        return identity.operators().stream()
                .filter(operator -> operator.username().equalsIgnoreCase(name))
                .filter(operator -> operator.hasRole(Role.ADMIN))
                .findFirst()
                .orElseThrow(() -> new SecurityException("只有管理员可以重置密码（当前登录：" + OperatorAccount.printable(name)
                        + "）/ Only an admin may reset passwords (logged in as " + OperatorAccount.printable(name)
                        + ")"));
    }

    private static String roles(Operator operator) {
        return operator.roles().stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }
}
