package org.lockergate.identity;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who runs a Gogo shell session. The remote shell binds each session it opens to the operator who logged in;
 * commands that need a role ask here, by the session object Gogo hands them — not by a session variable, which the
 * user could overwrite. A session that was never bound is the local console (someone at the machine) and trusted.
 */
@ProviderType
public interface ShellSessions {

    /** Called by the remote shell when a session starts. */
    void bind(Object commandSession, Operator operator);

    /** Called by the remote shell when a session ends. */
    void unbind(Object commandSession);

    /** The operator of a remote session; empty for the local console. */
    Optional<Operator> operatorOf(Object commandSession);

    /**
     * The check commands use: the local console passes; a remote session passes when its operator holds one of the
     * roles (admin holds every role).
     *
     * @throws SecurityException naming the roles needed, in Chinese and English
     */
    default void requireRole(Object commandSession, Role... roles) {
        Optional<Operator> operator = operatorOf(commandSession);
        if (operator.isPresent() && !operator.get().hasAnyRole(roles)) {
            StringBuilder names = new StringBuilder();
            for (Role role : roles) {
                names.append(names.length() == 0 ? "" : ", ").append(role.id());
            }
            throw new SecurityException("权限不足，需要角色 " + names + " / Permission denied: role " + names
                    + " required (logged in as " + operator.get().username() + ")");
        }
    }
}
