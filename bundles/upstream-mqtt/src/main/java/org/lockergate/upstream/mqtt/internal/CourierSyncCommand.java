package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * {@code couriers.sync} {@code {company, couriers:[{courierId, name?, pinHash, active?}], full?}} (R0): the courier
 * company's couriers as the core's courier configurations (factory PID {@value #FACTORY_PID}, which the core caches
 * for offline sign-in). A courier already configured (from a file or an earlier sync) is updated in place, a new one
 * gets a named factory configuration {@code cloud-<courierId>}. With {@code full: true} the list is the company's
 * whole roster: its couriers missing from it are deactivated (never deleted: parcels name them). PINs arrive only
 * as Argon2id PHC hashes; all entries are validated before anything changes; the audit names the couriers, never
 * the hashes.
 */
@Component(service = CommandHandler.class, property = CommandHandler.COMMAND + "=couriers.sync")
public class CourierSyncCommand implements CommandHandler {

    static final String FACTORY_PID = "org.lockergate.core.courier";
    static final int MAX_COURIERS = 2000;
    private static final Pattern COMPANY = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern COURIER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+"
            + "\\$[A-Za-z0-9+/]+");

    private final ConfigurationAdmin configAdmin;
    private final LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GatewayClock clock;

    @Activate
    public CourierSyncCommand(@Reference ConfigurationAdmin configAdmin, @Reference LockerStore store) {
        this.configAdmin = configAdmin;
        this.store = store;
    }

    /** One validated roster entry. */
    record Entry(String courierId, String name, String pinHash, boolean active) {
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String company = command.requiredString("company");
        if (!COMPANY.matcher(company).matches()) {
            throw bad("company", "快递公司代码格式不对 / company must match " + COMPANY.pattern(), -1);
        }
        boolean full = Boolean.TRUE.equals(command.args().get("full"));
        List<Entry> roster = roster(command.args().get("couriers"));
        Map<String, Configuration> existing = new HashMap<>();
        Configuration[] configs = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        if (configs != null) {
            for (Configuration c : configs) {
                Dictionary<String, Object> p = c.getProperties();
                Object id = p == null ? null : p.get("courierId");
                if (id != null) {
                    existing.put(String.valueOf(id).strip(), c);
                }
            }
        }
        for (Entry e : roster) {
            Configuration c = existing.get(e.courierId());
            Object owner = c == null || c.getProperties() == null ? null : c.getProperties().get("company");
            if (owner != null && !company.equals(String.valueOf(owner).strip())) {
                throw new CommandException(409, "other_company", "快递员 " + e.courierId() + " 属于另一家快递公司"
                        + " / Courier " + e.courierId() + " belongs to another company", Map.of("courierId",
                                e.courierId()));
            }
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> deactivated = new ArrayList<>();
        List<Runnable> changes = new ArrayList<>();
        for (Entry e : roster) {
            Configuration c = existing.get(e.courierId());
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("courierId", e.courierId());
            props.put("company", company);
            props.put("name", e.name());
            props.put("pinHash", e.pinHash());
            props.put("active", e.active());
            if (c == null) {
                c = configAdmin.getFactoryConfiguration(FACTORY_PID, "cloud-" + e.courierId(), "?");
                created.add(e.courierId());
            } else if (same(c.getProperties(), props)) {
                unchanged.add(e.courierId());
                continue;
            } else {
                updated.add(e.courierId());
            }
            Configuration target = c;
            changes.add(() -> {
                try {
                    target.update(props);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        if (full) {
            List<String> listed = roster.stream().map(Entry::courierId).toList();
            for (Map.Entry<String, Configuration> x : existing.entrySet()) {
                Dictionary<String, Object> p = x.getValue().getProperties();
                if (listed.contains(x.getKey()) || p == null || !company.equals(String.valueOf(p.get("company")).strip())
                        || Boolean.FALSE.equals(p.get("active"))) {
                    continue;
                }
                Hashtable<String, Object> props = copy(p);
                props.put("active", false);
                deactivated.add(x.getKey());
                Configuration target = x.getValue();
                changes.add(() -> {
                    try {
                        target.update(props);
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
            }
        }
        GatewayClock c = clock;
        Instant now = c == null ? Instant.now() : c.now();
        String detail = "company " + company + (full ? " (full roster)" : "") + ": created " + created + ", updated "
                + updated + ", deactivated " + deactivated + ", unchanged " + unchanged.size();
        store.write("couriers.sync", tx -> {
            tx.audit(now, "cloud:" + command.requestId(), "couriers.sync", "company:" + company,
                    detail.length() > 1900 ? detail.substring(0, 1900) + "…" : detail);
            return null;
        });
        changes.forEach(Runnable::run); // after the audit row is on disk
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("company", company);
        body.put("created", created);
        body.put("updated", updated);
        body.put("deactivated", deactivated);
        body.put("unchanged", unchanged.size());
        return CommandResult.ok(body);
    }

    static List<Entry> roster(Object raw) throws CommandException {
        if (!(raw instanceof List<?> list) || list.size() > MAX_COURIERS) {
            throw bad("couriers", "couriers 应为最多 " + MAX_COURIERS + " 项的数组 / couriers must be an array of at most "
                    + MAX_COURIERS, -1);
        }
        List<Entry> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw bad("couriers", "第 " + i + " 项不是对象 / entry " + i + " is not an object", i);
            }
            Object id = m.get("courierId");
            if (!(id instanceof String s) || !COURIER_ID.matcher(s).matches() || !seen.add(s)) {
                throw bad("courierId", "第 " + i + " 项 courierId 缺失、格式不对或重复 / entry " + i
                        + ": courierId missing, malformed or repeated", i);
            }
            Object hash = m.get("pinHash");
            if (!(hash instanceof String h) || h.length() > 200 || !PHC.matcher(h).matches()) {
                throw bad("pinHash", "第 " + i + " 项 pinHash 应为 Argon2id PHC 字符串 / entry " + i
                        + ": pinHash must be an Argon2id PHC string", i);
            }
            Object name = m.get("name");
            if (name != null && (!(name instanceof String n) || n.length() > 64)) {
                throw bad("name", "第 " + i + " 项 name 应为不超过 64 字的字符串 / entry " + i
                        + ": name must be a string of at most 64 characters", i);
            }
            Object active = m.get("active");
            if (active != null && !(active instanceof Boolean)) {
                throw bad("active", "第 " + i + " 项 active 应为布尔值 / entry " + i + ": active must be a boolean", i);
            }
            out.add(new Entry(s, name == null ? "" : ((String) name).strip(), h, !Boolean.FALSE.equals(active)));
        }
        return out;
    }

    private static boolean same(Dictionary<String, Object> current, Hashtable<String, Object> next) {
        if (current == null) {
            return false;
        }
        for (Map.Entry<String, Object> e : next.entrySet()) {
            if (!Objects.equals(String.valueOf(current.get(e.getKey())), String.valueOf(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> p) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (java.util.Enumeration<String> keys = p.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, p.get(k));
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
