package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.PasswordPolicyException.Reason;

class PasswordPolicyTest {

    @Test
    void nine_characters_are_too_few_and_ten_are_enough() {
        PasswordPolicyException refused = refuse("alice", "9chars-ok");

        assertThat(refused.reason()).isEqualTo(Reason.TOO_SHORT);
        assertThat(refused.minLength()).isEqualTo(10);
        assertThat(refused).hasMessage("新密码至少 10 个字符 / The new password must have at least 10 characters");
        assertThatCode(() -> PasswordPolicy.check("alice", "10chars-ok".toCharArray())).doesNotThrowAnyException();
    }

    @Test
    void characters_are_counted_as_code_points() {
        assertThatCode(() -> PasswordPolicy.check("alice", "快递柜网关的新密码很长".toCharArray()))
                .doesNotThrowAnyException();
        // nine emoji are eighteen chars but nine characters
        assertThat(refuse("alice", "😀".repeat(9)).reason()).isEqualTo(Reason.TOO_SHORT);
    }

    @Test
    void the_user_name_is_refused_whatever_its_case() {
        PasswordPolicyException refused = refuse("technician1", "Technician1");

        assertThat(refused.reason()).isEqualTo(Reason.SAME_AS_USERNAME);
        assertThat(refused).hasMessage("新密码不能与用户名相同 / The new password must not be the user name");
        assertThatCode(() -> PasswordPolicy.check("technician1", "technician1!".toCharArray()))
                .doesNotThrowAnyException();
    }

    @Test
    void obvious_passwords_are_refused_whatever_their_case() {
        for (String obvious : new String[] {"12345678901", "password123", "PassWord123", "admin12345", "lockergate",
                "LockerGate", "qwertyuiop"}) {
            PasswordPolicyException refused = refuse("alice", obvious);
            assertThat(refused.reason()).as(obvious).isEqualTo(Reason.TOO_COMMON);
            assertThat(refused.getMessage()).contains(" / The new password is too common");
        }
    }

    @Test
    void the_list_holds_only_passwords_long_enough_to_reach_it() {
        assertThat(PasswordPolicy.OBVIOUS).allSatisfy(obvious ->
                assertThat(obvious.codePointCount(0, obvious.length())).isGreaterThanOrEqualTo(PasswordPolicy.MIN_LENGTH));
    }

    private static PasswordPolicyException refuse(String username, String password) {
        PasswordPolicyException refused = catchThrowableOfType(PasswordPolicyException.class,
                () -> PasswordPolicy.check(username, password.toCharArray()));
        assertThat(refused).as("policy refuses %s", password).isNotNull();
        return refused;
    }
}
