package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordToolTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void without_a_console_hashes_one_line_from_standard_input() throws Exception {
        int exit = run("correct horse 密码\nignored second line\n");

        assertThat(exit).isZero();
        String phc = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(new PasswordHasher().verify("correct horse 密码".toCharArray(), PhcHash.parse(phc))).isTrue();
    }

    @Test
    void refuses_an_empty_password() throws Exception {
        assertThat(run("\n")).isEqualTo(1);
        assertThat(run("")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("The password must not be empty");
    }

    private int run(String stdin) throws Exception {
        return PasswordTool.run(null, new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
