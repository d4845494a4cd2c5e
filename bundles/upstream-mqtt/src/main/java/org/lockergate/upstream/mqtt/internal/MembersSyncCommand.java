package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code members.sync} {@code {members:[{ref, plan}], full?}} (R1/R5 member plans, e.g. 7 days free): which
 * recipients (by their consent reference, the {@code ref} a deposit carries) have which member plan. Written into the
 * fee policy's configuration (PID {@value #FEE_PID}, {@code memberRefs}), which ConfigAdmin persists and the rules
 * bundle's fee policy re-reads — the plan a pickup and a fee quote both use. {@code plan: null} removes a member;
 * {@code full: true} makes the list the whole membership. Every plan must be one the fee configuration defines
 * ({@code planFreeDays}); every entry is validated before anything changes; the audit names the counts.
 */
@Component(service = CommandHandler.class, property = CommandHandler.COMMAND + "=members.sync")
public class MembersSyncCommand implements CommandHandler {

    static final String FEE_PID = "org.lockergate.rules.fee";
    static final int MAX_MEMBERS = 20_000;
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final ConfigurationAdmin configAdmin;
    private final LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GatewayClock clock;

    @Activate
    public MembersSyncCommand(@Reference ConfigurationAdmin configAdmin, @Reference LockerStore store) {
        this.configAdmin = configAdmin;
        this.store = store;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        boolean full = Boolean.TRUE.equals(command.args().get("full"));
        Map<String, String> wanted = members(command.args().get("members"));
        Configuration fee = configAdmin.getConfiguration(FEE_PID, "?");
        Dictionary<String, Object> current = fee.getProperties();
        Map<String, String> plans = entries(current == null ? null : current.get("planFreeDays"));
        for (Map.Entry<String, String> m : wanted.entrySet()) {
            if (m.getValue() != null && !plans.containsKey(m.getValue())) {
                throw new CommandException(400, "unknown_plan", "会员方案 “" + m.getValue() + "” 未在收费配置 planFreeDays "
                        + "中定义 / Member plan '" + m.getValue() + "' is not defined in the fee configuration's "
                        + "planFreeDays " + plans.keySet(), Map.of("arg", "plan", "ref", m.getKey()));
            }
        }
        Map<String, String> before = entries(current == null ? null : current.get("memberRefs"));
        Map<String, String> after = new TreeMap<>(full ? Map.of() : before);
        wanted.forEach((ref, plan) -> {
            if (plan == null) {
                after.remove(ref);
            } else {
                after.put(ref, plan);
            }
        });
        int added = 0;
        int changed = 0;
        int removed = 0;
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before.get(e.getKey());
            if (old == null) {
                added++;
            } else if (!old.equals(e.getValue())) {
                changed++;
            }
        }
        for (String ref : before.keySet()) {
            if (!after.containsKey(ref)) {
                removed++;
            }
        }
        GatewayClock c = clock;
        Instant now = c == null ? Instant.now() : c.now();
        String detail = (full ? "full list: " : "") + "added " + added + ", changed " + changed + ", removed " + removed
                + ", members " + after.size();
        store.write("members.sync", tx -> {
            tx.audit(now, "cloud:" + command.requestId(), "members.sync", FEE_PID, detail);
            return null;
        });
        if (added + changed + removed > 0) {
            Hashtable<String, Object> props = new Hashtable<>();
            if (current != null) {
                for (var keys = current.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    props.put(k, current.get(k));
                }
            }
            props.put("memberRefs", after.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
            fee.update(props); // after the audit row is on disk
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("added", added);
        body.put("changed", changed);
        body.put("removed", removed);
        body.put("members", after.size());
        return CommandResult.ok(body);
    }

    /** ref → plan (null: remove), validated. */
    static Map<String, String> members(Object raw) throws CommandException {
        if (!(raw instanceof List<?> list) || list.size() > MAX_MEMBERS) {
            throw bad("members", "members 应为最多 " + MAX_MEMBERS + " 项的数组 / members must be an array of at most "
                    + MAX_MEMBERS, -1);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw bad("members", "第 " + i + " 项不是对象 / entry " + i + " is not an object", i);
            }
            Object ref = m.get("ref");
            if (!(ref instanceof String r) || !REF.matcher(r).matches() || out.containsKey(r)) {
                throw bad("ref", "第 " + i + " 项 ref 缺失、格式不对或重复 / entry " + i + ": ref missing, malformed or "
                        + "repeated", i);
            }
            Object plan = m.get("plan");
            if (plan != null && (!(plan instanceof String p) || !REF.matcher(p).matches())) {
                throw bad("plan", "第 " + i + " 项 plan 应为方案名或 null / entry " + i + ": plan must be a plan id or null",
                        i);
            }
            out.put(r, (String) plan);
        }
        return out;
    }

    /** "key=value" strings (String, String[] or a collection) as a map; malformed ones are skipped. */
    static Map<String, String> entries(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof String s) {
            items.add(s);
        } else if (value instanceof String[] a) {
            items.addAll(List.of(a));
        } else if (value instanceof Iterable<?> it) {
            it.forEach(o -> items.add(String.valueOf(o)));
        }
        Map<String, String> out = new TreeMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static CommandException bad(String arg, String message, int index) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("arg", arg);
        if (index >= 0) {
            extra.put("index", index);
        }
        return new CommandException(400, "bad_args", message, extra);
    }
}
