package org.lockergate.identity;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Authenticates the gateway's operators for every surface (REST, console, remote shell, OPC UA, management).
 *
 * <p>Passwords are verified against slow salted hashes; failures are throttled per user name and per origin
 * (the client address), so guessing is slow whichever account is tried. Implementations are thread-safe.
 */
@ProviderType
public interface IdentityService {

    /**
     * Checks a user name and password and hands out a bearer token.
     *
     * @param origin where the attempt comes from (client IP address, {@code "shell"}, ...), for throttling
     * @throws AuthenticationException when refused; its reason says whether the account or origin is locked
     */
    AccessToken login(String username, char[] password, String origin) throws AuthenticationException;

    /**
     * Checks a user name and password without creating a token (remote shell, OPC UA user tokens).
     * Throttled exactly like {@link #login}.
     */
    Operator verify(String username, char[] password, String origin) throws AuthenticationException;

    /** The operator a bearer token belongs to; empty when unknown or expired. Using a token extends it. */
    Optional<Operator> authenticate(String token);

    /** Ends a token's validity at once; unknown tokens are ignored. */
    void logout(String token);

    /** The configured operators (without any secret), for administration screens. */
    List<Operator> operators();

    /**
     * An operator changes its own password. The new password is checked against the password policy first (a
     * weak one costs no attempt), then the current password exactly like a login (same throttling: a wrong one
     * counts as a failed login for the user name and the origin), then the new one is stored. Every token of the
     * operator ends, including the one that asked: all its sessions must log in again.
     *
     * @param origin where the request comes from (client IP address, {@code "shell"}, ...), for throttling and
     *     the log
     * @throws AuthenticationException when the current password is wrong or the user name or origin is locked;
     *     never says whether the user exists
     * @throws PasswordPolicyException when the new password is too weak; nothing is changed
     * @throws OperatorDefinedInFileException when the operator is defined in a configuration file, which must be
     *     edited instead
     * @throws IllegalStateException when the new password cannot be stored (configuration service missing or
     *     failing)
     * @since 1.1
     */
    void changePassword(String username, char[] currentPassword, char[] newPassword, String origin)
            throws AuthenticationException, PasswordPolicyException;

    /**
     * An administrator sets another operator's (or its own) password without knowing the current one, e.g. when
     * it was forgotten. The new password must pass the password policy; every token of that operator ends, and
     * its failed-login counter is cleared.
     *
     * <p>{@code by} is not authenticated here: the calling surface must have authenticated it.
     *
     * @param by who does it; must hold the admin role
     * @throws IllegalArgumentException when no operator has that user name
     * @throws SecurityException when {@code by} is not an admin
     * @throws PasswordPolicyException when the new password is too weak; nothing is changed
     * @throws OperatorDefinedInFileException when the operator is defined in a configuration file
     * @throws IllegalStateException when the new password cannot be stored
     * @since 1.1
     */
    void resetPassword(String username, char[] newPassword, Operator by) throws PasswordPolicyException;
}
