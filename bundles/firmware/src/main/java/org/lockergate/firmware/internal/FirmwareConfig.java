package org.lockergate.firmware.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LockerGate cabinet firmware", description = "Staging and wave rollout of cabinet firmware")
public @interface FirmwareConfig {

    String PID = "org.lockergate.firmware";

    @AttributeDefinition(name = "Largest image (bytes)")
    long maxImageBytes() default 16L * 1024 * 1024;

    @AttributeDefinition(name = "Busy retry (seconds)", description = "How often a busy cabinet (door open, pickup in "
            + "progress) is asked again")
    int busyRetrySeconds() default 5;

    @AttributeDefinition(name = "Busy give-up (seconds)", description = "A cabinet busy this long is skipped")
    int busyGiveUpSeconds() default 1800;

    @AttributeDefinition(name = "Transfer timeout (seconds)")
    int transferTimeoutSeconds() default 120;

    @AttributeDefinition(name = "Reboot timeout (seconds)", description = "How long a cabinet may take to register "
            + "again with the new version (or to come back after a broken transfer)")
    int rebootTimeoutSeconds() default 180;

    @AttributeDefinition(name = "Poll period (milliseconds)")
    int pollMillis() default 500;

    @AttributeDefinition(name = "Transfer attempts", description = "A broken transfer is started again this often")
    int attempts() default 3;

    @AttributeDefinition(name = "Trust folder", description = "Empty: {lockergate.data}/secrets/trust (shared with "
            + "remote management)")
    String trustFolder() default "";

    @AttributeDefinition(name = "Image folder", description = "Empty: {lockergate.data}/firmware/images")
    String folder() default "";
}
