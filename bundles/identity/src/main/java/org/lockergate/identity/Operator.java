package org.lockergate.identity;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated operator.
 *
 * @param username the login name
 * @param roles the roles held, never empty
 * @param company for {@link Role#COURIER_COMPANY} viewers the company code they may see (e.g. {@code "ZTO"}),
 *     otherwise {@code null}
 */
public record Operator(String username, Set<Role> roles, String company) {

    public Operator {
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** True when the operator holds at least one of the given roles; admin holds them all. */
    public boolean hasAnyRole(Role... wanted) {
        if (roles.contains(Role.ADMIN)) {
            return true;
        }
        for (Role role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
