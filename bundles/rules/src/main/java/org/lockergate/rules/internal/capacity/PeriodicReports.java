package org.lockergate.rules.internal.capacity;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.UsageReports;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.RefusedConfigurations;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
 * Sends the capacity report ({@code capacity.report}, monthly or weekly) and the cost-sharing report
 * ({@code cost_sharing.report}, monthly) to the cloud through the core's outbox once their period is over, by the
 * gateway clock: a tick (every {@code tickSeconds}) compares the clock's last completed period with the last one
 * sent (kept in the bundle's data area, so a restart neither repeats nor skips one; a period missed while the
 * gateway was off goes out at the first tick). On the very first start it sends nothing and starts from the period
 * then completed. Gogo {@code reports:send capacity <from> <to>} and {@code reports:send costsharing <month>} send one
 * on demand; so does {@code POST /api/v1/capacity}.
 */
@Component(service = PeriodicReports.class, configurationPid = PeriodicReports.PID, immediate = true,
        property = {"osgi.command.scope=reports", "osgi.command.function=send"})
@Designate(ocd = PeriodicReports.Config.class)
public class PeriodicReports {

    public static final String PID = "org.lockergate.rules.reports";
    public static final String COST_SHARING_EVENT = "cost_sharing.report";
    static final String STATE_FILE = "reports-sent.properties";

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicReports.class);

    @ObjectClassDefinition(name = "LockerGate reports to the cloud", description = "When the capacity and "
            + "cost-sharing reports go to the cloud (outbox events). 定期向云端发送容量与费用分摊报告。")
    public @interface Config {
        @AttributeDefinition(name = "Capacity report", description = "monthly, weekly or off")
        String capacity() default "monthly";

        @AttributeDefinition(name = "Cost-sharing report", description = "monthly or off")
        String costSharing() default "monthly";

        @AttributeDefinition(name = "Check every (seconds)", min = "1")
        int tickSeconds() default 300;

        @AttributeDefinition(name = "Time zone", description = "Zone of the weeks and months")
        String zone() default "Asia/Shanghai";
    }

    /** A complete valid configuration. */
    record Settings(String capacity, String costSharing, int tickSeconds, ZoneId zone) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CapacityReports capacity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile UsageReports usage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ReportOutbox outbox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private volatile Settings settings = new Settings("monthly", "monthly", 300, ZoneId.of("Asia/Shanghai"));
    private Path stateFile;
    private ScheduledExecutorService timer;

    public PeriodicReports() {
    }

    /** For tests: no timer, the test calls {@link #tick()}. */
    PeriodicReports(CapacityReports capacity, UsageReports usage, ReportOutbox outbox, GatewayClock clock,
            Path stateFile) {
        this.capacity = capacity;
        this.usage = usage;
        this.outbox = outbox;
        this.clock = clock;
        this.stateFile = stateFile;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        stateFile = context.getDataFile(STATE_FILE).toPath();
        apply(config);
        schedule();
    }

    @Modified
    void modified(Config config) {
        int before = settings.tickSeconds();
        apply(config);
        if (before != settings.tickSeconds()) {
            schedule();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private synchronized void schedule() {
        deactivate();
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "lockergate-rules-reports");
            t.setDaemon(true);
            return t;
        });
        int every = settings.tickSeconds();
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("定期报告检查失败，稍后重试 / Periodic report check failed, retrying later: {}", e.toString());
            }
        }, Math.min(every, 30), every, TimeUnit.SECONDS);
    }

    boolean apply(Config config) {
        try {
            settings = parse(config);
            RefusedConfigurations.accepted(PID);
            return true;
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的报告配置 / the previous report configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
            return false;
        }
    }

    static Settings parse(Config config) {
        String cap = config.capacity() == null ? "" : config.capacity().trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("monthly", "weekly", "off").contains(cap)) {
            throw new ConfigException("capacity", "应为 monthly、weekly 或 off，而不是 “" + config.capacity() + "”",
                    "must be monthly, weekly or off, not '" + config.capacity() + "'");
        }
        String cost = config.costSharing() == null ? "" : config.costSharing().trim().toLowerCase(
                java.util.Locale.ROOT);
        if (!List.of("monthly", "off").contains(cost)) {
            throw new ConfigException("costSharing", "应为 monthly 或 off，而不是 “" + config.costSharing() + "”",
                    "must be monthly or off, not '" + config.costSharing() + "'");
        }
        if (config.tickSeconds() < 1) {
            throw new ConfigException("tickSeconds", "必须至少 1 秒", "must be at least 1 second");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(config.zone().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException("zone", "未知时区 “" + config.zone() + "”", "unknown zone '" + config.zone() + "'");
        }
        return new Settings(cap, cost, config.tickSeconds(), zone);
    }

    /**
     * Sends every report whose period is over and not yet sent. Returns how many went out. A report that cannot be
     * sent now (the core is not running, the store refuses) is tried again at the next tick.
     */
    public synchronized int tick() {
        Settings s = settings;
        LocalDate today = now().atZone(s.zone()).toLocalDate();
        Properties sent = load();
        int count = 0;
        if (!"off".equals(s.capacity())) {
            LocalDate from;
            LocalDate to;
            if ("weekly".equals(s.capacity())) {
                from = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
                to = from.plusDays(6);
            } else {
                from = YearMonth.from(today).minusMonths(1).atDay(1);
                to = YearMonth.from(from).atEndOfMonth();
            }
            String period = from + ".." + to;
            String last = sent.getProperty("capacity");
            if (last == null) {
                sent.setProperty("capacity", period); // first start: nothing to catch up on
            } else if (last.compareTo(period) < 0 && sendCapacity(from, to, "system")) {
                sent.setProperty("capacity", period);
                count++;
            }
        }
        if (!"off".equals(s.costSharing())) {
            String month = YearMonth.from(today).minusMonths(1).toString();
            String last = sent.getProperty("costSharing");
            if (last == null) {
                sent.setProperty("costSharing", month);
            } else if (last.compareTo(month) < 0 && sendCostSharing(YearMonth.parse(month), "system")) {
                sent.setProperty("costSharing", month);
                count++;
            }
        }
        save(sent);
        return count;
    }

    private boolean sendCapacity(LocalDate from, LocalDate to, String actor) {
        CapacityReports c = capacity;
        if (c == null) {
            return false;
        }
        try {
            c.publish(from, to, actor);
            return true;
        } catch (LockerException | RuntimeException e) {
            LOG.warn("容量报告 {}..{} 暂未发送 / Capacity report {}..{} not sent yet: {}", from, to, from, to, e.toString());
            return false;
        }
    }

    private boolean sendCostSharing(YearMonth month, String actor) {
        UsageReports u = usage;
        ReportOutbox out = outbox;
        if (u == null || out == null) {
            return false;
        }
        try {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("month", month.toString());
            data.put("groups", u.costSharing(month, null).stream().map(PeriodicReports::wire).toList());
            long seq = out.publish(COST_SHARING_EVENT, actor, data);
            LOG.info("费用分摊报告 {} 已写入发件箱（序号 {}）/ Cost-sharing report {} queued for the cloud (seq {})", month, seq,
                    month, seq);
            return true;
        } catch (LockerException | RuntimeException e) {
            LOG.warn("费用分摊报告 {} 暂未发送 / Cost-sharing report {} not sent yet: {}", month, month, e.toString());
            return false;
        }
    }

    static Map<String, Object> wire(CostSharing r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groupId", r.groupId());
        m.put("runningCostFen", r.runningCostFen());
        m.put("compartmentSeconds", r.compartmentSeconds());
        m.put("shares", r.shares().stream().map(s -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("company", s.company());
            line.put("fundingSharePercent", s.fundingSharePercent());
            line.put("deposits", s.deposits());
            line.put("compartmentSeconds", s.compartmentSeconds());
            line.put("usePermille", s.usePermille());
            line.put("byFundingFen", s.byFundingFen());
            line.put("byUseFen", s.byUseFen());
            line.put("balanceFen", s.balanceFen());
            line.put("tariffFen", s.tariffFen());
            return line;
        }).toList());
        return m;
    }

    /** Gogo {@code reports:send capacity 2026-11-01 2026-11-30}. */
    public String send(String kind, String from, String to) {
        if (!"capacity".equals(kind)) {
            return "用法 / usage: reports:send capacity <from> <to> | reports:send costsharing <month>";
        }
        LocalDate a = LocalDate.parse(from);
        LocalDate b = LocalDate.parse(to);
        return sendCapacity(a, b, "shell") ? "capacity.report " + a + ".." + b + " queued"
                : "not sent (see the log)";
    }

    /** Gogo {@code reports:send costsharing 2026-11}. */
    public String send(String kind, String month) {
        if (!"costsharing".equals(kind)) {
            return "用法 / usage: reports:send capacity <from> <to> | reports:send costsharing <month>";
        }
        YearMonth m = YearMonth.parse(month);
        return sendCostSharing(m, "shell") ? COST_SHARING_EVENT + " " + m + " queued" : "not sent (see the log)";
    }

    private Properties load() {
        Properties p = new Properties();
        if (stateFile != null && Files.isRegularFile(stateFile)) {
            try (Reader r = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", stateFile, e.toString());
            }
        }
        return p;
    }

    private void save(Properties p) {
        if (stateFile == null) {
            return;
        }
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "last report periods sent to the cloud");
            }
            try {
                Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", stateFile, e.toString());
        }
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }
}
