package org.lockergate.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check another bundle adds to the gateway's health (the store, for example). Register it as an OSGi service.
 * {@link #check()} must be quick (well under a second) and must not throw.
 */
@ConsumerType
public interface HealthContributor {

    HealthCheck check();
}
