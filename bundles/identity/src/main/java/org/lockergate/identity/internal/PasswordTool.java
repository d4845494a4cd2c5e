package org.lockergate.identity.internal;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Prints the Argon2id hash of a password for an operator configuration ({@code passwordHash}). Shipped as
 * {@code bin/lockergate-passwd}; needs only this jar and bcprov on the class path.
 *
 * <p>On a terminal it asks twice without echo; otherwise it reads one line from standard input, for scripts:
 * {@code printf '%s\n' "$PASSWORD" | lockergate-passwd}.
 */
public final class PasswordTool {

    private PasswordTool() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(System.console(), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out, System.err));
    }

    /** Returns the process exit code. */
    static int run(Console console, BufferedReader stdin, PrintStream out, PrintStream err) throws IOException {
        char[] password = console != null ? askTwice(console, err) : readLine(stdin);
        if (password == null) {
            return 1;
        }
        try {
            if (password.length == 0) {
                err.println("密码不能为空 / The password must not be empty");
                return 1;
            }
            out.println(new PasswordHasher().hash(password));
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] askTwice(Console console, PrintStream err) {
        char[] first = console.readPassword("新密码 / New password: ");
        char[] second = console.readPassword("再次输入新密码 / Repeat the new password: ");
        if (first == null || second == null) {
            return null; // end of input
        }
        try {
            if (!Arrays.equals(first, second)) {
                err.println("两次输入的密码不一致 / The passwords do not match");
                return null;
            }
            return first.clone();
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }

    private static char[] readLine(BufferedReader stdin) throws IOException {
        String line = stdin.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }
}
