package org.lockergate.identity.internal;

import java.util.List;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.PasswordPolicyException.Reason;

/**
 * What a new password must be: at least {@value #MIN_LENGTH} characters, not the user name, not one of a few
 * obvious passwords. Compares the {@code char[]} in place, so no {@code String} copy of the password is made.
 */
final class PasswordPolicy {

    /** Characters are counted as Unicode code points: 密码 is two, not four bytes' worth. */
    static final int MIN_LENGTH = 10;

    /**
     * Deliberately tiny: passwords people and installers really try first on such a device. Compared without
     * regard to case. Only entries of at least {@link #MIN_LENGTH} characters matter (shorter ones fail anyway).
     */
    static final List<String> OBVIOUS = List.of(
            "1234567890", "12345678901", "123456789012", "0123456789", "0987654321", "1111111111",
            "password123", "password1234", "passw0rd123", "admin12345", "admin123456", "administrator",
            "lockergate", "lockergate1", "lockergate123", "qwertyuiop", "1qaz2wsx3edc", "abcdefghij",
            "abc1234567", "iloveyou12", "woaini1314");

    private PasswordPolicy() {}

    /** Throws when the password breaks a rule; the first broken rule in the order length, user name, list. */
    static void check(String username, char[] password) throws PasswordPolicyException {
        if (Character.codePointCount(password, 0, password.length) < MIN_LENGTH) {
            throw new PasswordPolicyException(Reason.TOO_SHORT, MIN_LENGTH, "新密码至少 " + MIN_LENGTH
                    + " 个字符 / The new password must have at least " + MIN_LENGTH + " characters");
        }
        if (username != null && equalsIgnoreCase(password, username.strip())) {
            throw new PasswordPolicyException(Reason.SAME_AS_USERNAME, MIN_LENGTH,
                    "新密码不能与用户名相同 / The new password must not be the user name");
        }
        for (String obvious : OBVIOUS) {
            if (equalsIgnoreCase(password, obvious)) {
                throw new PasswordPolicyException(Reason.TOO_COMMON, MIN_LENGTH,
                        "新密码太常见，很容易被猜到，请换一个 / The new password is too common and easy to guess: "
                                + "choose another one");
            }
        }
    }

    /** Like {@link String#equalsIgnoreCase}, for a char array. */
    private static boolean equalsIgnoreCase(char[] password, String text) {
        if (password.length != text.length()) {
            return false;
        }
        for (int i = 0; i < password.length; i++) {
            char a = password[i];
            char b = text.charAt(i);
            if (a != b && Character.toUpperCase(a) != Character.toUpperCase(b)
                    && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }
}
