package org.lockergate.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LockerGate remote management",
        description = "Signed bundle installs and updates with automatic rollback, configuration snapshots")
public @interface ManagementSettings {

    @AttributeDefinition(description = "Folder of trusted Ed25519 public keys (*.pub); empty = data/secrets/trust")
    String trustFolder() default "";

    @AttributeDefinition(description = "Folder for kept versions and snapshots; empty = data/management")
    String workFolder() default "";

    @AttributeDefinition(min = "0", description = "Seconds a new version must stay ACTIVE with health UP before "
            + "the update counts as done; otherwise it is rolled back")
    int checkSeconds() default 30;

    @AttributeDefinition(min = "1", description = "Largest artifact accepted, in bytes")
    long maxArtifactBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(min = "1", description = "Download connect and read timeout, seconds")
    int downloadTimeoutSeconds() default 60;

    @AttributeDefinition(min = "1", description = "How many configuration snapshots are kept")
    int snapshotsKept() default 10;

    @AttributeDefinition(description = "PID prefixes of the configurations that snapshots cover")
    String[] configScope() default {"org.lockergate."};
}
