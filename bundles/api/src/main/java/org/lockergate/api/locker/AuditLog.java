package org.lockergate.api.locker;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Appends to the gateway's audit log (R17) for surfaces that change things outside the core (the REST API's
 * logins, logouts and password changes). Locker changes are audited by the core itself, with the actor passed to
 * {@link AlarmService} and {@link MaintenanceService}.
 *
 * @since 1.3
 */
@ProviderType
public interface AuditLog {

    /**
     * Appends one durable row at the gateway clock's time.
     *
     * @param actor who: {@code operator:alice}, {@code anonymous}
     * @param action e.g. {@code operator.login}
     * @param target what, e.g. the user name
     * @param detail free text; never a password, clear pickup code or phone number
     * @throws LockerException {@code unavailable} when the store cannot write
     */
    void record(String actor, String action, String target, String detail) throws LockerException;
}
