package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.core.internal.registry.Definitions;

class RegistryTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void groups_are_stored_with_their_registry_data() {
        assertThat(h.core.queries.group("g1")).hasValueSatisfying(g -> {
            assertThat(g.name()).isEqualTo("幸福里小区 1 号柜组");
            assertThat(g.info().latitude()).isEqualTo(36.185);
            assertThat(g.info().postalFilingNumber()).isEqualTo("YZ-0001");
        });
    }

    @Test
    void a_descriptor_naming_an_unknown_group_is_refused() {
        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.attach("cx", "nowhere", new FakeDriver(), Harness.specs("S:1")));

        assertThat(e.code()).isEqualTo("unknown_group");
    }

    @Test
    void restricted_registration_refuses_cabinets_not_configured() throws Exception {
        h.core.env.settings(h.core.env.settings().withRestrictRegistration(true));
        h.core.registry.allow(new Definitions.Cabinet("c9", "g2"));

        assertThat(catchThrowableOfType(LockerException.class, () -> h.attach("c8", "g2", new FakeDriver(),
                Harness.specs("S:1"))).code()).isEqualTo("unknown_cabinet");
        assertThat(h.attach("c9", "g2", new FakeDriver(), Harness.specs("S:1"))).isNotNull();
    }

    @Test
    void an_inconsistent_descriptor_is_refused() {
        LockerException duplicate = catchThrowableOfType(LockerException.class, () -> h.attach("c2", "g1",
                new FakeDriver(), List.of(new CompartmentSpec("9", SizeClass.S, 1, 1),
                        new CompartmentSpec("9", SizeClass.M, 1, 2))));
        LockerException taken = catchThrowableOfType(LockerException.class, () -> h.attach("c2", "g1",
                new FakeDriver(), Harness.specs("S:1")));

        assertThat(duplicate.code()).isEqualTo("bad_descriptor");
        assertThat(taken.code()).isEqualTo("bad_descriptor");
    }

    @Test
    void every_bad_descriptor_names_the_field() {
        LockerException taken = catchThrowableOfType(LockerException.class, () -> h.attach("c2", "g1",
                new FakeDriver(), Harness.specs("S:12", "S:1")));
        LockerException duplicate = catchThrowableOfType(LockerException.class, () -> h.attach("c2", "g1",
                new FakeDriver(), List.of(new CompartmentSpec("9", SizeClass.S, 1, 1),
                        new CompartmentSpec("9", SizeClass.M, 1, 2))));
        LockerException badChannel = catchThrowableOfType(LockerException.class, () -> h.attach("c2", "g1",
                new FakeDriver(), List.of(new CompartmentSpec("9", SizeClass.S, 1, 0))));
        LockerException otherGroup = catchThrowableOfType(LockerException.class, () -> h.attach("c1", "g2",
                new FakeDriver(), Harness.specs("S:1")));

        assertThat(taken.code()).isEqualTo("bad_descriptor");
        assertThat(taken.extra()).containsEntry("field", "compartments[1].compartment");
        assertThat(taken.getMessage()).isEqualTo("柜子描述无效：格口 1 已属于柜子 c1 / Bad descriptor: compartment 1 "
                + "already belongs to cabinet c1");
        assertThat(duplicate.extra()).containsEntry("field", "compartments[1].compartment");
        assertThat(badChannel.extra()).containsEntry("field", "compartments[0].channel");
        assertThat(otherGroup.extra()).containsEntry("field", "groupId");
    }

    @Test
    void attaching_again_after_a_restart_keeps_every_state() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.maintenance.disable("g1", "2", "operator:t", "broken");
        h.core.timers.stop();

        Core restarted = new Core(h.store, h.clock, (t, p) -> { }, Settings.defaults(), h.dataDir, Runnable::run);
        restarted.start();
        restarted.registry.putGroup(h.core.registry.group("g1").orElseThrow());
        assertThat(restarted.queries.cabinets("g1").get(0).online()).isFalse();
        restarted.registry.attach(new CabinetDescriptor("c1", "g1", "fake", "F1", "1.1", 2,
                Harness.specs("S:1", "S:2", "S:3", "S:4", "M:5", "M:6", "L:7")), new FakeDriver());

        assertThat(restarted.queries.cabinets("g1").get(0).online()).isTrue();
        assertThat(restarted.queries.cabinets("g1").get(0).firmware()).isEqualTo("1.1");
        assertThat(restarted.queries.compartments("g1")).extracting(c -> c.state()).containsExactly(
                CompartmentState.OCCUPIED, CompartmentState.DISABLED, CompartmentState.FREE, CompartmentState.FREE,
                CompartmentState.FREE, CompartmentState.FREE, CompartmentState.FREE);
        assertThat(restarted.kiosk.pickup("g1", h.codeOf(parcel), null, null).parcelId()).isEqualTo(parcel);
    }

    @Test
    void cabinet_registration_is_reported_once_and_reconnection_as_online() throws Exception {
        h.link.detach("test");
        h.attach("c1", "g1", new FakeDriver(), Harness.specs("S:1", "S:2", "S:3", "S:4", "M:5", "M:6", "L:7"));

        assertThat(h.outbox("cabinet.registered")).hasSize(1);
        assertThat(h.outbox("cabinet.offline")).hasSize(1);
        assertThat(h.outbox("cabinet.online")).hasSize(1);
    }
}
