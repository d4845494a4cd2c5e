package org.lockergate.core.internal.ticket;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.lockergate.api.maintenance.RoundKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One configured inspection or cleaning schedule of a group, registered for the core's {@link Rounds}. */
@Component(service = RoundSchedule.class, configurationPid = RoundSchedule.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RoundSchedule.Config.class, factory = true)
public class RoundSchedule {

    public static final String FACTORY_PID = "org.lockergate.core.round";

    @ObjectClassDefinition(name = "LockerGate inspection / cleaning round",
            description = "A scheduled round of one cabinet group with its checklist, e.g. a weekly inspection or a "
                    + "daily cleaning.")
    public @interface Config {
        @AttributeDefinition(name = "Schedule id", description = "Stable id, e.g. g1-weekly-inspection")
        String scheduleId();

        @AttributeDefinition(name = "Group id")
        String groupId();

        @AttributeDefinition(name = "Kind", options = {@Option(value = "INSPECTION", label = "Inspection 巡检"),
            @Option(value = "CLEANING", label = "Cleaning 清洁")})
        String kind() default "INSPECTION";

        @AttributeDefinition(name = "Name", description = "Shown to staff, e.g. 每周巡检 / weekly inspection",
                required = false)
        String name() default "";

        @AttributeDefinition(name = "Checklist", description = "The items to tick, one per value")
        String[] checklist();

        @AttributeDefinition(name = "Every (hours)", description = "24 = daily, 168 = weekly", min = "1")
        int everyHours() default 168;

        @AttributeDefinition(name = "Anchor date", description = "A date with a slot (ISO, e.g. 2024-01-01, a "
                + "Monday: weekly rounds fall on its weekday)")
        String anchorDate() default "2024-01-01";

        @AttributeDefinition(name = "Start time", description = "Local time of each slot (HH:mm)")
        String startTime() default "09:00";

        @AttributeDefinition(name = "Grace (minutes)", description = "After due, when the round counts as overdue",
                min = "0")
        int graceMinutes() default 120;
    }

    private final Rounds.Schedule schedule;

    @Activate
    public RoundSchedule(Config config) {
        this.schedule = from(config);
    }

    public Rounds.Schedule schedule() {
        return schedule;
    }

    static Rounds.Schedule from(Config c) {
        String id = required(c.scheduleId(), "scheduleId");
        String group = required(c.groupId(), "groupId");
        List<String> items = c.checklist() == null ? List.of() : Arrays.stream(c.checklist()).map(String::strip)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException(FACTORY_PID + " " + id + ": the checklist is empty");
        }
        RoundKind kind;
        try {
            kind = RoundKind.valueOf(c.kind().strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FACTORY_PID + " " + id + ": kind must be INSPECTION or CLEANING");
        }
        try {
            String name = c.name() == null || c.name().isBlank() ? id : c.name().strip();
            return new Rounds.Schedule(id, group, kind, name, items, Duration.ofHours(Math.max(1, c.everyHours())),
                    LocalDate.parse(c.anchorDate().strip()), LocalTime.parse(c.startTime().strip()),
                    Duration.ofMinutes(Math.max(0, c.graceMinutes())));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(FACTORY_PID + " " + id + ": bad anchorDate or startTime", e);
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(FACTORY_PID + ": " + field + " is required");
        }
        return value.strip();
    }
}
