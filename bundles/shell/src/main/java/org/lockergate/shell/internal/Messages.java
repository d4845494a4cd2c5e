package org.lockergate.shell.internal;

import java.util.Set;
import java.util.stream.Collectors;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.Role;

/** What the remote shell tells the person at the other end: Chinese first, then English. */
final class Messages {

    static final String BANNER = "\n"
            + "LockerGate 远程 shell / remote shell\n"
            + "请登录。输入 exit 结束会话。/ Please log in. Type exit to end the session.\n"
            + "\n";
    static final String USERNAME_PROMPT = "用户名 / Username: ";
    static final String PASSWORD_PROMPT = "密码 / Password: ";
    static final String COMMAND_PROMPT = "lockergate> ";
    static final String USERNAME_REQUIRED = "请输入用户名 / Username required";
    static final String TOO_MANY_ATTEMPTS = "登录失败次数过多，连接已关闭 / Too many failed logins, connection closed";
    static final String IDENTITY_UNAVAILABLE = "身份服务出错，请稍后再试 / Identity service error, try again later";
    static final String IDLE_TIMEOUT = "空闲超时，连接已关闭 / Idle timeout, connection closed";
    static final String LINE_TOO_LONG = "输入行过长，连接已关闭 / Line too long, connection closed";
    static final String BYE = "再见 / Bye";

    private Messages() {}

    static String busy(int maxSessions) {
        return "忙：远程 shell 已有 " + maxSessions + " 个会话，请稍后再试"
                + " / Busy: all " + maxSessions + " remote shell sessions are in use, try again later\n";
    }

    static String welcome(String username) {
        return "欢迎 / Welcome, " + username + "\n";
    }

    static String loginFailed(AuthenticationException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.reason() == AuthenticationException.Reason.LOCKED
                    ? "账号已锁定 / Account locked"
                    : "用户名或密码错误 / Wrong user name or password";
        }
        return "登录失败 / Login failed: " + oneLine(message);
    }

    static String permissionDenied(Set<Role> allowed) {
        String roles = allowed.isEmpty()
                ? "admin"
                : allowed.stream().sorted().map(Role::id).collect(Collectors.joining(" or "));
        return "权限不足 / Permission denied: role " + roles + " required";
    }

    static String error(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return "错误 / Error: " + oneLine(message);
    }

    /** Folds a multi-line text into one line. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A user-supplied text made safe for one log line: no control characters, at most 64 characters. */
    static String forLog(String text) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), 64) + 3);
        text.codePoints().limit(64).forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > 64) {
            safe.append("...");
        }
        return safe.toString();
    }
}
