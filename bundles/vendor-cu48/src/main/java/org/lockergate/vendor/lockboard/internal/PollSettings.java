package org.lockergate.vendor.lockboard.internal;

import java.time.Duration;

/**
 * How a cabinet is watched.
 *
 * @param pollInterval pause between the end of one poll cycle and the start of the next (default 500 ms)
 * @param offlineAfterMissedPolls polls a board may miss in a row before it is offline ({@code board_offline})
 * @param openWindow how long an unlock watches the door (R13: 10 s)
 * @param verifyInterval how often the door is read during that window
 */
public record PollSettings(Duration pollInterval, int offlineAfterMissedPolls, Duration openWindow,
        Duration verifyInterval) {

    public static final PollSettings DEFAULTS = new PollSettings(Duration.ofMillis(500), 3, Duration.ofSeconds(10),
            Duration.ofMillis(100));

    public PollSettings {
        if (pollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("pollInterval must be at least 10 ms: " + pollInterval);
        }
        if (offlineAfterMissedPolls < 1) {
            throw new IllegalArgumentException("offlineAfterMissedPolls must be at least 1");
        }
        if (openWindow.isNegative() || openWindow.isZero() || verifyInterval.isNegative() || verifyInterval.isZero()) {
            throw new IllegalArgumentException("openWindow and verifyInterval must be positive");
        }
    }
}
