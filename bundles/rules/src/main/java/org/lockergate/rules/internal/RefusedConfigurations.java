package org.lockergate.rules.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.osgi.service.component.annotations.Component;

/**
 * The rules configurations refused and not yet replaced by a valid one, for operators: the health check
 * {@code rules.config} (DOWN, not critical, naming the PID and field) and the Gogo command {@code rules:refused}.
 * The record is bundle-wide (static), so a component that refuses its configuration during activation is seen
 * whatever order the components start in; a later valid configuration of the same PID clears it.
 */
@Component(service = {HealthContributor.class, RefusedConfigurations.class}, immediate = true,
        property = {"osgi.command.scope=rules", "osgi.command.function=refused"})
public class RefusedConfigurations implements HealthContributor {

    /** One refusal: which configuration, which field, the operator message (zh / en), when. */
    public record Refusal(String pid, String field, String message, Instant at) {
    }

    private static final Map<String, Refusal> REFUSED = new ConcurrentHashMap<>();

    /** Records that {@code pid}'s new configuration was refused (the previous one stays in force). */
    public static void refused(String pid, ConfigException e) {
        REFUSED.put(pid, new Refusal(pid, e.field(), e.getMessage(), Instant.now()));
    }

    /** {@code pid} has a valid configuration in force again. */
    public static void accepted(String pid) {
        REFUSED.remove(pid);
    }

    /** The refusals in force, by PID. */
    public static List<Refusal> current() {
        return new ArrayList<>(new TreeMap<>(REFUSED).values());
    }

    @Override
    public HealthCheck check() {
        List<Refusal> refusals = current();
        if (refusals.isEmpty()) {
            return HealthCheck.up("rules.config", false, "规则配置均已生效 / Every rules configuration is in force",
                    Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (Refusal r : refusals) {
            details.put(r.pid(), Map.of("field", r.field(), "message", r.message(), "at", r.at().toString()));
        }
        return HealthCheck.down("rules.config", false, refusals.size() + " 项规则配置被拒绝，沿用之前的有效配置 / "
                + refusals.size() + " rules configuration(s) refused, the previous valid ones stay in force: "
                + String.join("; ", refusals.stream().map(Refusal::message).toList()), details);
    }

    /** Gogo {@code rules:refused}. */
    public String refused() {
        List<Refusal> refusals = current();
        if (refusals.isEmpty()) {
            return "没有被拒绝的规则配置 / No rules configuration refused";
        }
        StringBuilder out = new StringBuilder();
        for (Refusal r : refusals) {
            out.append(r.pid()).append(" [").append(r.field()).append("] ").append(r.at()).append('\n')
                    .append("  ").append(r.message()).append('\n');
        }
        return out.toString();
    }
}
