package org.lockergate.rules.internal.fee;

import java.io.File;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.spi.FeePolicy;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.RefusedConfigurations;
import org.lockergate.rules.internal.Entries;
import org.lockergate.rules.internal.holiday.HolidayService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overdue fee of R4/R5 with holidays, rule history and member plans. Registered with service.ranking 100, so the
 * core prefers it to its built-in policy (−100) while this bundle runs, and falls back when it stops.
 */
@Component(service = FeePolicy.class, configurationPid = RulesFeePolicy.PID,
        property = "service.ranking:Integer=100")
@Designate(ocd = RulesFeePolicy.Config.class)
public class RulesFeePolicy implements FeePolicy {

    public static final String PID = "org.lockergate.rules.fee";
    static final String HISTORY_FILE = "fee-rules.txt";

    private static final Logger LOG = LoggerFactory.getLogger(RulesFeePolicy.class);

    @ObjectClassDefinition(name = "LockerGate overdue fee", description = "R5: free period with holiday time not "
            + "counted, then a rate per started period, capped; integer fen. 超时费：免费期（节假日不计），之后按计费周期收费并封顶。")
    public @interface Config {
        @AttributeDefinition(name = "Free period (hours)", min = "0")
        int freeHours() default 24;

        @AttributeDefinition(name = "Charging period (hours)", min = "1")
        int periodHours() default 12;

        @AttributeDefinition(name = "Rate per started period (fen)", min = "0")
        long rateFen() default 50;

        @AttributeDefinition(name = "Cap (fen)", description = "At least one period's rate", min = "0")
        long capFen() default 300;

        @AttributeDefinition(name = "Holiday time not counted", description = "R4 (see org.lockergate.rules.holidays)")
        boolean holidaysNotCounted() default true;

        @AttributeDefinition(name = "Time zone", description = "Zone of the holiday calendar days")
        String zone() default "Asia/Shanghai";

        @AttributeDefinition(name = "Member plans", description = "planId=free days, e.g. gold=7")
        String[] planFreeDays() default {};

        @AttributeDefinition(name = "Members", description = "consent reference=planId, e.g. C-889=gold (until the "
                + "parcel model carries the plan)")
        String[] memberRefs() default {};
    }

    /** A complete valid configuration. */
    record Settings(FeeRule rule, ZoneId zone, Map<String, String> members) {
    }

    @Reference
    volatile HolidayService holidays;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private volatile RuleHistory history = new RuleHistory(null);
    private volatile Settings settings = new Settings(FeeRule.DEFAULT, ZoneId.of("Asia/Shanghai"), Map.of());

    public RulesFeePolicy() {
    }

    /** For tests: memory-only history. */
    RulesFeePolicy(HolidayService holidays, GatewayClock clock) {
        this.holidays = holidays;
        this.clock = clock;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        File file = context == null ? null : context.getDataFile(HISTORY_FILE);
        history = new RuleHistory(file == null ? null : file.toPath());
        configure(config);
    }

    @Modified
    void modified(Config config) {
        configure(config);
    }

    /** Applies a configuration, or logs why it was refused and keeps the previous one. */
    boolean configure(Config config) {
        Settings next;
        try {
            next = parse(config);
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的收费配置 / the previous fee configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
            if (history.entries().isEmpty()) {
                history.enact(settings.rule(), now());
            }
            return false;
        }
        settings = next;
        RefusedConfigurations.accepted(PID);
        if (history.enact(next.rule(), now())) {
            LOG.info("收费规则自 {} 起对新投递的包裹生效：{} / Fee rule in force for parcels deposited from {}: {}", now(),
                    next.rule().describeZh(next.rule().free()), now(), next.rule().describeEn(next.rule().free()));
        }
        return true;
    }

    static Settings parse(Config config) {
        ZoneId zone;
        try {
            zone = ZoneId.of(config.zone().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException("zone", "未知时区 “" + config.zone() + "”", "unknown zone '" + config.zone() + "'");
        }
        if (config.freeHours() < 0) {
            throw new ConfigException("freeHours", "不能为负数", "must not be negative");
        }
        if (config.periodHours() < 1) {
            throw new ConfigException("periodHours", "必须至少 1 小时", "must be at least 1 hour");
        }
        Map<String, Integer> plans = Entries.ints("planFreeDays", config.planFreeDays(), 0, 3660);
        Map<String, String> members = Entries.strings("memberRefs", config.memberRefs());
        for (Map.Entry<String, String> m : members.entrySet()) {
            if (!plans.containsKey(m.getValue())) {
                throw new ConfigException("memberRefs", "“" + m.getKey() + "” 的会员方案 “" + m.getValue() + "” 未在 "
                        + "planFreeDays 中定义", "plan '" + m.getValue() + "' of '" + m.getKey()
                                + "' is not defined in planFreeDays");
            }
        }
        FeeRule rule = new FeeRule(Duration.ofHours(config.freeHours()), Duration.ofHours(config.periodHours()),
                config.rateFen(), config.capFen(), config.holidaysNotCounted(), plans);
        return new Settings(rule, zone, Map.copyOf(members));
    }

    @Override
    public Fee quote(Parcel parcel, Instant at) {
        return quote(parcel, at, null);
    }

    /**
     * A real pickup comes here with no plan (the plan is found from the consent reference); the fee quote of the
     * REST API names one. An unknown plan is refused rather than silently quoted without it.
     */
    @Override
    public Fee quote(Parcel parcel, Instant at, String memberPlan) {
        if (parcel.depositedAt() == null) {
            return Fee.free(null, "尚未投递 / Not deposited yet");
        }
        Settings s = settings;
        FeeRule rule = history.at(parcel.depositedAt());
        if (memberPlan != null && !rule.planFreeDays().containsKey(memberPlan)) {
            throw new IllegalArgumentException("未知的会员方案 “" + memberPlan + "”（已配置：" + rule.planFreeDays().keySet()
                    + "）/ Unknown member plan '" + memberPlan + "' (configured: " + rule.planFreeDays().keySet() + ")");
        }
        String plan = memberPlan != null ? memberPlan
                : parcel.consent() == null || parcel.consent().ref() == null ? null
                : s.members().get(parcel.consent().ref());
        boolean accepted = parcel.consent() != null && parcel.consent().feeTermsAccepted();
        return new FeeCalculator(s.zone(), holidays.calendar()).quote(rule, parcel.depositedAt(), at, accepted, plan);
    }

    /** The rule for new deposits and the zone (for the shell and tests). */
    Settings settings() {
        return settings;
    }

    RuleHistory history() {
        return history;
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }
}
