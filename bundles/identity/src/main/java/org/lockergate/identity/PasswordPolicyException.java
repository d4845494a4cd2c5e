package org.lockergate.identity;

/**
 * A new password refused by the password policy. The message is bilingual (Chinese / English) and safe to show;
 * {@link #reason()} tells surfaces which rule was broken so that they can word it in their own language.
 *
 * @since 1.1
 */
public class PasswordPolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The rule the new password breaks. */
    public enum Reason {
        /** Fewer than {@link PasswordPolicyException#minLength()} characters. */
        TOO_SHORT,
        /** The same as the user name (whatever the case). */
        SAME_AS_USERNAME,
        /** On the built-in list of obvious passwords ({@code password123}, {@code lockergate}, ...). */
        TOO_COMMON
    }

    private final Reason reason;
    private final int minLength;

    /**
     * @param minLength the policy's minimum length in characters (Unicode code points), whatever the reason
     */
    public PasswordPolicyException(Reason reason, int minLength, String message) {
        super(message);
        this.reason = reason;
        this.minLength = minLength;
    }

    public Reason reason() {
        return reason;
    }

    /** The fewest characters a password may have. */
    public int minLength() {
        return minLength;
    }
}
