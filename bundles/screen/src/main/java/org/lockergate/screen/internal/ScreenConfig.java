package org.lockergate.screen.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LockerGate screen content", description = "Playlists on the cabinets' screens")
public @interface ScreenConfig {

    String PID = "org.lockergate.screen";

    @AttributeDefinition(name = "Largest media file (bytes)")
    long maxMediaBytes() default 4L * 1024 * 1024;

    @AttributeDefinition(name = "Most items in one playlist")
    int maxItems() default 50;

    @AttributeDefinition(name = "Download timeout (seconds)")
    int downloadTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Impression report period (seconds)",
            description = "How often the plays counted are reported upstream as screen.impressions")
    int reportSeconds() default 3600;

    @AttributeDefinition(name = "Check period (seconds)",
            description = "How often schedules are checked (observers are told when a group's playlist changes) "
                    + "and whether a report is due, on the gateway clock")
    int tickSeconds() default 10;

    @AttributeDefinition(name = "Folder", description = "Empty: {lockergate.data}/screen")
    String folder() default "";
}
