package org.lockergate.shell.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.lockergate.identity.Role;

/**
 * What a {@link ShellServer} needs to know, already validated.
 *
 * @param bindAddress the local address to listen on (IP literal or host name)
 * @param port the TCP port, {@code 0} for an ephemeral one
 * @param maxSessions sessions allowed at once (at least 1)
 * @param idleTimeout how long a session may stay silent before it is closed (the login prompts wait at most
 *     {@link ShellSession#LOGIN_TIMEOUT})
 * @param allowedRoles roles that may log in; an admin always may ({@link org.lockergate.identity.Operator#hasAnyRole})
 * @param maxLoginAttempts failed logins before the connection is closed
 */
record ShellSettings(
        String bindAddress,
        int port,
        int maxSessions,
        Duration idleTimeout,
        Set<Role> allowedRoles,
        int maxLoginAttempts) {

    static final int DEFAULT_LOGIN_ATTEMPTS = 3;

    ShellSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1: " + maxSessions);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (maxLoginAttempts < 1) {
            throw new IllegalArgumentException("maxLoginAttempts must be at least 1: " + maxLoginAttempts);
        }
        allowedRoles = Set.copyOf(allowedRoles);
    }
}
