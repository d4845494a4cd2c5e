package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** members.sync: the fee configuration's memberRefs follow the cloud, plans are checked, nothing half-applied. */
class MembersSyncCommandTest {

    private Hashtable<String, Object> fee = new Hashtable<>(Map.of("freeHours", 24, "planFreeDays",
            new String[] {"gold=7", "silver=3"}, "memberRefs", new String[] {"C-1=silver"}));
    private int updates;
    private final MemStore store = new MemStore();

    private final Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getPid" -> MembersSyncCommand.FEE_PID;
                case "getProperties" -> fee == null ? null : new Hashtable<>(fee);
                case "update" -> {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                    Hashtable<String, Object> copy = new Hashtable<>();
                    for (var keys = d.keys(); keys.hasMoreElements();) {
                        String k = keys.nextElement();
                        copy.put(k, d.get(k));
                    }
                    fee = copy;
                    updates++;
                    yield null;
                }
                case "hashCode" -> 1;
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private final ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getConfiguration" -> {
                    assertThat(args[0]).isEqualTo(MembersSyncCommand.FEE_PID);
                    yield configuration;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private CommandResult sync(Map<String, Object> args) throws Exception {
        return new MembersSyncCommand(admin, store).handle(new CloudCommand("members.sync", "r-7", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(60), "cloud-1", "Ed25519", args));
    }

    private List<String> memberRefs() {
        return Arrays.asList((String[]) fee.get("memberRefs"));
    }

    private static Map<String, Object> member(String ref, String plan) {
        Map<String, Object> m = new HashMap<>();
        m.put("ref", ref);
        m.put("plan", plan);
        return m;
    }

    @Test
    void members_are_added_changed_and_removed_and_the_rest_of_the_fee_configuration_stays() throws Exception {
        CommandResult r = sync(Map.of("members", List.of(member("C-889", "gold"), member("C-1", "gold"))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Map.of("added", 1, "changed", 1, "removed", 0, "members", 2));
        assertThat(memberRefs()).containsExactly("C-1=gold", "C-889=gold");
        assertThat(fee).containsEntry("freeHours", 24);
        assertThat((String[]) fee.get("planFreeDays")).containsExactly("gold=7", "silver=3");

        sync(Map.of("members", List.of(member("C-1", null))));
        assertThat(memberRefs()).containsExactly("C-889=gold");

        CommandResult full = sync(Map.of("full", true, "members", List.of(member("C-2", "silver"))));
        assertThat(full.body()).isEqualTo(Map.of("added", 1, "changed", 0, "removed", 1, "members", 1));
        assertThat(memberRefs()).containsExactly("C-2=silver");
        assertThat(store.audit).hasSize(3).last().satisfies(a -> {
            assertThat(a.actor()).isEqualTo("cloud:r-7");
            assertThat(a.action()).isEqualTo("members.sync");
            assertThat(a.detail()).isEqualTo("full list: added 1, changed 0, removed 1, members 1");
        });
    }

    @Test
    void an_unknown_plan_or_a_bad_entry_changes_nothing() throws Exception {
        CommandException unknown = catchThrowableOfType(CommandException.class, () -> sync(Map.of("members",
                List.of(member("C-3", "gold"), member("C-4", "platinum")))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("unknown_plan");
        assertThat(unknown.getMessage()).contains("platinum");
        CommandException repeated = catchThrowableOfType(CommandException.class, () -> sync(Map.of("members",
                List.of(member("C-3", "gold"), member("C-3", "silver")))));
        assertThat(repeated.extra()).containsEntry("arg", "ref").containsEntry("index", 1);
        CommandException notList = catchThrowableOfType(CommandException.class, () -> sync(Map.of("members", "x")));
        assertThat(notList.extra()).containsEntry("arg", "members");
        assertThat(updates).isZero();
        assertThat(store.audit).isEmpty();
        assertThat(memberRefs()).containsExactly("C-1=silver");
    }

    @Test
    void without_a_fee_configuration_no_plan_is_known() {
        fee = null;
        CommandException e = catchThrowableOfType(CommandException.class, () -> sync(Map.of("members",
                List.of(member("C-3", "gold")))));
        assertThat(e.error()).isEqualTo("unknown_plan");
    }
}
