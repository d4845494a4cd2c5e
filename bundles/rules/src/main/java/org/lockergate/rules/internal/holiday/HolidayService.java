package org.lockergate.rules.internal.holiday;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.RefusedConfigurations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holiday calendar of the community (R4), shared by the fee policy and the {@code holidays:} shell commands.
 * Hot-reloaded: a refused configuration is logged with the field named and the previous calendar stays in force.
 */
@Component(service = HolidayService.class, configurationPid = HolidayService.PID)
@Designate(ocd = HolidayService.Config.class)
public class HolidayService {

    public static final String PID = "org.lockergate.rules.holidays";

    private static final Logger LOG = LoggerFactory.getLogger(HolidayService.class);

    @ObjectClassDefinition(name = "LockerGate holidays", description = "Holiday time is not counted in the free "
            + "storage period (R4). 节假日时间不计入免费保管期。")
    public @interface Config {
        @AttributeDefinition(name = "Mode", description = "statutory: the days of 《全国年节及纪念日放假办法》 computed for "
                + "any year; arrangement: plus the days off of the published State Council arrangement (bridging days) "
                + "for the years whose notice is loaded", options = {
                    @Option(label = "statutory (法定节假日)", value = "statutory"),
                    @Option(label = "arrangement (国务院放假安排)", value = "arrangement") })
        String mode() default "statutory";

        @AttributeDefinition(name = "Use the shipped arrangements", description = "The 2025 and 2026 notices shipped "
                + "with the bundle (each cited); the file and lines below replace them year by year")
        boolean builtInArrangements() default true;

        @AttributeDefinition(name = "Arrangement file", description = "Path of a text file in the arrangement format "
                + "(see README), e.g. conf/holidays.txt; empty for none")
        String arrangementFile() default "";

        @AttributeDefinition(name = "Arrangement lines", description = "Lines in the arrangement format, applied after "
                + "the file (a cloud command can write them)")
        String[] arrangement() default {};
    }

    private volatile HolidayCalendar calendar = HolidayCalendar.STATUTORY;

    public HolidayService() {
    }

    /** For tests and for use outside OSGi. */
    public HolidayService(HolidayCalendar calendar) {
        this.calendar = calendar;
    }

    @Activate
    @Modified
    void configure(Config config) {
        try {
            calendar = build(config);
            LOG.info("节假日日历：{}，已载入放假安排年份 {} / Holiday calendar: {}, arrangements loaded for {}",
                    calendar.mode(), calendar.arrangements().notices().keySet(), calendar.mode(),
                    calendar.arrangements().notices().keySet());
            RefusedConfigurations.accepted(PID);
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的节假日配置 / the previous holiday configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
        }
    }

    public HolidayCalendar calendar() {
        return calendar;
    }

    static HolidayCalendar build(Config config) {
        HolidayCalendar.Mode mode = switch (config.mode() == null ? "" : config.mode().trim().toLowerCase()) {
            case "statutory", "" -> HolidayCalendar.Mode.STATUTORY;
            case "arrangement" -> HolidayCalendar.Mode.ARRANGEMENT;
            default -> throw new ConfigException("mode", "应为 statutory 或 arrangement，而不是 “" + config.mode() + "”",
                    "must be statutory or arrangement, not '" + config.mode() + "'");
        };
        Arrangements data = config.builtInArrangements() ? Arrangements.builtIn() : Arrangements.NONE;
        String file = config.arrangementFile() == null ? "" : config.arrangementFile().trim();
        if (!file.isEmpty()) {
            Path path = Path.of(file);
            try (InputStream in = Files.newInputStream(path)) {
                data = data.with(Arrangements.parse("arrangementFile (" + file + ")", in));
            } catch (IOException e) {
                throw new ConfigException("arrangementFile", "无法读取 " + file + "：" + e.getMessage(), "cannot read "
                        + file + ": " + e.getMessage());
            }
        }
        String[] lines = config.arrangement();
        if (lines != null && lines.length > 0) {
            data = data.with(Arrangements.parse("arrangement", String.join("\n", lines)));
        }
        return new HolidayCalendar(mode, data);
    }
}
