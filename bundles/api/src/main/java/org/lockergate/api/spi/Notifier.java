package org.lockergate.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers pickup notifications. The production path is the outbox event {@code notification.requested}, which
 * the cloud turns into an SMS; notifiers registered as services are called in addition (e.g. the development
 * notifier that writes {@code {data}/logs/notifications.log}, used by the demo and tests).
 */
@ConsumerType
public interface Notifier {

    /** Called after the deposit's transaction is durable. Must not block for long; must not throw. */
    void notify(PickupNotification notification);
}
