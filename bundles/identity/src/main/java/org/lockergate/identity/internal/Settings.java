package org.lockergate.identity.internal;

import java.time.Duration;

/** The identity service's tunables, taken from {@link IdentityConfig}. */
record Settings(TokenStore.Lifetimes tokens, LoginThrottle.Policy perUser, LoginThrottle.Policy perOrigin) {

    static Settings defaults() {
        return new Settings(new TokenStore.Lifetimes(Duration.ofMinutes(30), Duration.ofHours(12)),
                new LoginThrottle.Policy(5, Duration.ofMinutes(5), Duration.ofMinutes(5)),
                new LoginThrottle.Policy(20, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    }

    static Settings from(IdentityConfig config) {
        // metatype's min is advisory only: a value below 1 would disable the protection, so raise it
        return new Settings(
                new TokenStore.Lifetimes(minutes(config.tokenIdleMinutes()),
                        Duration.ofHours(Math.max(1, config.tokenLifetimeHours()))),
                new LoginThrottle.Policy(Math.max(1, config.userMaxFailures()), minutes(config.userWindowMinutes()),
                        minutes(config.userLockoutMinutes())),
                new LoginThrottle.Policy(Math.max(1, config.originMaxFailures()),
                        minutes(config.originWindowMinutes()), minutes(config.originLockoutMinutes())));
    }

    private static Duration minutes(int value) {
        return Duration.ofMinutes(Math.max(1, value));
    }
}
