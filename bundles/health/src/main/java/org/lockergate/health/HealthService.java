package org.lockergate.health;

import org.osgi.annotation.versioning.ProviderType;

/** Runs every health check now. */
@ProviderType
public interface HealthService {

    HealthReport check();
}
