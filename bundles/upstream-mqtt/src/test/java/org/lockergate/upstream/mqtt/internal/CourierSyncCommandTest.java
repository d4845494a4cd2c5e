package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** couriers.sync: creates, updates, deactivates (full roster), validates everything first, audits without hashes. */
class CourierSyncCommandTest {

    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$Ye+RKT/1dv9BKvmPx4nopg$Rj+sEKQ6Ox0Gl+EtuLBBcRzdIrQyleHhx+IHUYA2nL4";
    private static final String HASH2 = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    /** ConfigAdmin's courier configurations, by pid (a map behind dynamic proxies). */
    private final Map<String, Hashtable<String, Object>> configs = new LinkedHashMap<>();
    private final MemStore store = new MemStore();

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getFactoryPid" -> CourierSyncCommand.FACTORY_PID;
                    case "getProperties" -> configs.get(pid) == null ? null : new Hashtable<>(configs.get(pid));
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        Hashtable<String, Object> copy = new Hashtable<>();
                        for (var keys = d.keys(); keys.hasMoreElements();) {
                            String k = keys.nextElement();
                            copy.put(k, d.get(k));
                        }
                        configs.put(pid, copy);
                        yield null;
                    }
                    case "hashCode" -> pid.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(
            CourierSyncCommandTest.class.getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "listConfigurations" -> {
                    List<Configuration> out = new ArrayList<>();
                    configs.keySet().forEach(pid -> out.add(configuration(pid)));
                    yield out.isEmpty() ? null : out.toArray(new Configuration[0]);
                }
                case "getFactoryConfiguration" -> configuration(args[0] + "~" + args[1]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private void courier(String pid, String id, String company, boolean active) {
        Hashtable<String, Object> p = new Hashtable<>(Map.of("courierId", id, "company", company, "name", "",
                "pinHash", HASH, "active", active));
        configs.put(pid, p);
    }

    private CommandResult sync(Map<String, Object> args) throws Exception {
        return new CourierSyncCommand(admin, store).handle(new CloudCommand("couriers.sync", "r-1", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(60), "cloud-1", "Ed25519", args));
    }

    @Test
    void a_roster_creates_new_couriers_updates_changed_ones_and_a_full_roster_deactivates_the_missing() throws Exception {
        courier("org.lockergate.core.courier~jt", "JT-0001", "JT", true);
        courier("org.lockergate.core.courier~jt2", "JT-0002", "JT", true);
        courier("org.lockergate.core.courier~zto", "ZTO-0001", "ZTO", true);

        CommandResult r = sync(Map.of("company", "JT", "full", true, "couriers", List.of(
                Map.of("courierId", "JT-0001", "pinHash", HASH2, "name", "张三"),
                Map.of("courierId", "JT-0009", "pinHash", HASH))));

        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.body();
        assertThat(body).containsEntry("created", List.of("JT-0009")).containsEntry("updated", List.of("JT-0001"))
                .containsEntry("deactivated", List.of("JT-0002"));
        assertThat(configs.get("org.lockergate.core.courier~cloud-JT-0009")).containsEntry("company", "JT")
                .containsEntry("active", true).containsEntry("pinHash", HASH);
        assertThat(configs.get("org.lockergate.core.courier~jt")).containsEntry("pinHash", HASH2)
                .containsEntry("name", "张三");
        assertThat(configs.get("org.lockergate.core.courier~jt2")).containsEntry("active", false);
        assertThat(configs.get("org.lockergate.core.courier~zto")).as("another company untouched")
                .containsEntry("active", true);
        assertThat(store.audit).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("couriers.sync");
            assertThat(a.actor()).isEqualTo("cloud:r-1");
            assertThat(a.detail()).contains("JT-0009").doesNotContain("argon2id");
        });
    }

    @Test
    void a_bad_entry_refuses_the_whole_roster_and_changes_nothing() {
        courier("org.lockergate.core.courier~jt", "JT-0001", "JT", true);
        Map<String, Hashtable<String, Object>> before = new LinkedHashMap<>(configs);

        CommandException plainPin = catchThrowableOfType(() -> sync(Map.of("company", "JT", "couriers", List.of(
                Map.of("courierId", "JT-0002", "pinHash", HASH), Map.of("courierId", "JT-0003", "pinHash", "123456")))),
                CommandException.class);
        assertThat(plainPin.status()).isEqualTo(400);
        assertThat(plainPin.extra()).containsEntry("arg", "pinHash").containsEntry("index", 1);
        CommandException repeated = catchThrowableOfType(() -> sync(Map.of("company", "JT", "couriers", List.of(
                Map.of("courierId", "JT-0002", "pinHash", HASH), Map.of("courierId", "JT-0002", "pinHash", HASH)))),
                CommandException.class);
        assertThat(repeated.extra()).containsEntry("arg", "courierId");
        CommandException notList = catchThrowableOfType(() -> sync(Map.of("company", "JT", "couriers", "x")),
                CommandException.class);
        assertThat(notList.error()).isEqualTo("bad_args");
        CommandException stolen = catchThrowableOfType(() -> sync(Map.of("company", "ZTO", "couriers", List.of(
                Map.of("courierId", "JT-0001", "pinHash", HASH)))), CommandException.class);
        assertThat(stolen.status()).isEqualTo(409);
        assertThat(stolen.error()).isEqualTo("other_company");

        assertThat(configs).isEqualTo(before);
        assertThat(store.audit).isEmpty();
    }
}
