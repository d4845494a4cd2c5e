package org.lockergate.vendor.coap.internal;

import java.time.Duration;

/**
 * The validated configuration.
 *
 * @param heartbeatSeconds told to cabinets at registration
 * @param unlockTimeout how long an unlock waits for the cabinet
 * @param maxEventsPerRequest most events in one request
 * @param dtlsRequiredWithKey cabinets with a DTLS key may not act over plain CoAP
 */
record Settings(int heartbeatSeconds, Duration unlockTimeout, int maxEventsPerRequest, boolean dtlsRequiredWithKey) {

    static final Settings DEFAULTS = new Settings(10, Duration.ofSeconds(11), 256, true);

    Settings {
        if (heartbeatSeconds < 1 || heartbeatSeconds > 3600) {
            throw new IllegalArgumentException("heartbeatSeconds must be 1-3600: " + heartbeatSeconds);
        }
        if (unlockTimeout.isNegative() || unlockTimeout.isZero()) {
            throw new IllegalArgumentException("unlockTimeout must be positive: " + unlockTimeout);
        }
        if (maxEventsPerRequest < 1) {
            throw new IllegalArgumentException("maxEventsPerRequest must be at least 1: " + maxEventsPerRequest);
        }
    }

    static Settings of(VendorConfig config) {
        return new Settings(config.heartbeatSeconds(), Duration.ofSeconds(config.unlockTimeoutSeconds()),
                config.maxEventsPerRequest(), config.dtlsRequiredWithKey());
    }
}
