package org.lockergate.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the core (PID {@code org.lockergate.core}); every number is a default of DESIGN.md §2. */
@ObjectClassDefinition(
        name = "LockerGate core",
        description = "Kiosk workflows, registry, timers and alarms of the locker core (DESIGN.md §2-§3).")
public @interface CoreConfig {

    @AttributeDefinition(name = "Time zone", description = "The community's zone, for fees, holidays and times shown.")
    String zone() default "Asia/Shanghai";

    @AttributeDefinition(name = "Restrict registration",
            description = "Only cabinets configured as org.lockergate.core.cabinet may attach (others: unknown_cabinet).")
    boolean restrictRegistration() default false;

    @AttributeDefinition(name = "Payment required first",
            description = "A pickup with a fee due answers payment_required instead of opening (R5).")
    boolean paymentRequiredFirst() default false;

    @AttributeDefinition(name = "Courier session idle timeout (minutes)", min = "1")
    int sessionIdleMinutes() default 10;

    @AttributeDefinition(name = "Courier login token lifetime (minutes)", min = "1")
    int tokenTtlMinutes() default 10;

    @AttributeDefinition(name = "Kiosk hold (seconds)",
            description = "A reservation whose deposit did not complete in this time is cancelled (R11).", min = "10")
    int kioskHoldSeconds() default 90;

    @AttributeDefinition(name = "Door left open alarm after (seconds)", min = "5")
    int doorOpenAlarmSeconds() default 60;

    @AttributeDefinition(name = "Cabinet heartbeat (seconds)", min = "1")
    int heartbeatSeconds() default 10;

    @AttributeDefinition(name = "Missed heartbeats before offline", min = "1")
    int missedHeartbeats() default 3;

    @AttributeDefinition(name = "Unlock pulse (ms)", min = "50", max = "5000")
    int unlockPulseMs() default 400;

    @AttributeDefinition(name = "Unlock answer timeout (seconds)",
            description = "Door window (10 s) plus the round trip; no answer counts as not opened.", min = "1")
    int unlockTimeoutSeconds() default 12;

    @AttributeDefinition(name = "Reminder before the free period ends (hours)", min = "0")
    int reminderBeforeHours() default 6;

    @AttributeDefinition(name = "Recall after (hours, wall clock)", min = "1")
    int recallHours() default 72;

    @AttributeDefinition(name = "Hard limit (days, wall clock)", min = "1")
    int holdDays() default 7;

    @AttributeDefinition(name = "Emergency redirect after (minutes)",
            description = "A cabinet offline or a compartment FAULT this long: its parcels are redirected (R22).",
            min = "1")
    int redirectAfterMinutes() default 30;

    @AttributeDefinition(name = "Timer period (ms)", min = "100")
    int tickMillis() default 1000;

    @AttributeDefinition(name = "Parcel scan period (seconds)",
            description = "How often overdue, reminders and recalls are checked.", min = "0")
    int parcelScanSeconds() default 30;

    @AttributeDefinition(name = "Alarms that open maintenance tickets",
            description = "R14 wire names; a fault raised again while its ticket is not closed counts on that ticket.",
            required = false)
    String[] ticketAlarms() default {"door_jammed", "forced_open", "item_left", "item_missing", "cabinet_offline",
        "board_offline", "camera_offline", "power_on_battery", "firmware_failed"};
}
