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
}
