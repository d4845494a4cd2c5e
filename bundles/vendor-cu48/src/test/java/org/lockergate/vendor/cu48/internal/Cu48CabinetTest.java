package org.lockergate.vendor.cu48.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.vendor.lockboard.internal.FakeHost.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetEvent.Type;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.lockergate.transport.modbus.ModbusOptions;
import org.lockergate.transport.modbus.internal.TcpModbusClient;
import org.lockergate.vendor.lockboard.internal.BoardCabinet;
import org.lockergate.vendor.lockboard.internal.CabinetPlan;
import org.lockergate.vendor.lockboard.internal.CompartmentMap;
import org.lockergate.vendor.lockboard.internal.FakeHost;
import org.lockergate.vendor.lockboard.internal.PollSettings;

/** A CU48 cabinet of two boards against the simulator over real Modbus TCP, with a recording fake core. */
class Cu48CabinetTest {

    private static final PollSettings FAST = new PollSettings(Duration.ofMillis(50), 3, Duration.ofSeconds(1),
            Duration.ofMillis(20));
    private static final ModbusOptions OPTIONS = ModbusOptions.DEFAULTS.withTimeout(Duration.ofMillis(150))
            .withRetries(0).withBackoff(Duration.ofMillis(100), Duration.ofMillis(300));

    private Cu48Simulator sim;
    private TcpModbusClient client;
    private FakeHost host;
    private BoardCabinet cabinet;

    @BeforeEach
    void start() throws Exception {
        sim = Cu48Simulator.start(0, 1, 2);
        client = new TcpModbusClient();
        host = new FakeHost();
    }

    @AfterEach
    void stop() {
        if (cabinet != null) {
            cabinet.close("test over");
        }
        client.close();
        sim.close();
    }

    private BoardCabinet cabinet() {
        CabinetPlan plan = new CabinetPlan("C1", "G1", "cu48", "CU48", List.of(1, 2),
                CompartmentMap.parse(new String[] {"1:1-4=A01:S", "2:48=B48:L"}, List.of(1, 2), 48, SizeClass.M));
        BoardCabinet created = new BoardCabinet(plan, new Cu48Io(client.open("127.0.0.1", sim.port(), OPTIONS)), host,
                p -> host.baseline(), FAST);
        created.start();
        return created;
    }

    @Test
    void attaches_at_the_first_answer_with_firmware_and_a_new_boot() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.attached().isEmpty());

        var descriptor = host.attached().get(0);
        assertThat(descriptor.vendor()).isEqualTo("cu48");
        assertThat(descriptor.firmware()).isEqualTo("1.5");
        assertThat(descriptor.compartments()).hasSize(5);
        assertThat(descriptor.compartments().get(4).board()).isEqualTo(2);
        assertThat(descriptor.boot()).isGreaterThan(0);
    }

    @Test
    void only_changes_are_reported_in_sequence_and_every_answered_poll_is_a_heartbeat() throws Exception {
        cabinet = cabinet();
        await("first poll reported", () -> !host.events(Type.FAULT).isEmpty());
        assertThat(host.events()).as("nothing changed against the core's state but the board status")
                .extracting(CabinetEvent::code).containsExactly("board_online");

        sim.board(1).door(2, false);
        sim.board(2).item(48, true);
        await("door and item events", () -> host.events().size() >= 3);
        int heartbeats = host.heartbeats();
        await("more heartbeats", () -> host.heartbeats() > heartbeats + 2);

        List<CabinetEvent> events = host.events();
        assertThat(events).extracting(CabinetEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(events.subList(1, 3)).extracting(CabinetEvent::type, CabinetEvent::compartment, CabinetEvent::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Type.DOOR, "A02", false),
                        org.assertj.core.groups.Tuple.tuple(Type.OCCUPANCY, "B48", true));
    }

    @Test
    void unlock_opens_the_door_and_reports_it() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.attached().isEmpty());

        UnlockOutcome outcome = cabinet.unlock("A03", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(UnlockOutcome.OPENED);
        assertThat(sim.board(1).unlocks(3)).as("one pulse, never repeated").isEqualTo(1);
        assertThat(sim.board(1).pulseMillis()).isEqualTo(400);
        await("door event", () -> host.events(Type.DOOR).stream()
                .anyMatch(e -> e.compartment().equals("A03") && !e.value()));
    }

    @Test
    void an_open_door_is_already_open_without_a_pulse() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.attached().isEmpty());
        sim.board(1).door(1, false);

        UnlockOutcome outcome = cabinet.unlock("A01", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(UnlockOutcome.ALREADY_OPEN);
        assertThat(sim.board(1).unlocks(1)).isZero();
    }

    @Test
    void a_jammed_door_is_jammed_after_the_window_and_the_fault_bit_becomes_a_fault_event() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.attached().isEmpty());
        sim.board(1).jam(4, true);

        long start = System.nanoTime();
        UnlockOutcome outcome = cabinet.unlock("A04", Duration.ofMillis(400)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(UnlockOutcome.JAMMED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1000);
        assertThat(sim.board(1).unlocks(4)).isEqualTo(1);
        await("door_jammed fault", () -> host.events(Type.FAULT).stream()
                .anyMatch(e -> "door_jammed".equals(e.code()) && e.value()));
        sim.board(1).clearFaults();
        await("fault cleared", () -> host.events(Type.FAULT).stream()
                .anyMatch(e -> "door_jammed".equals(e.code()) && !e.value()));
    }

    @Test
    void an_unknown_compartment_is_refused() {
        cabinet = cabinet();
        assertThat(cabinet.unlock("Z9", Duration.ofMillis(400)).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class).withMessageContaining("Z9");
    }

    @Test
    void a_silent_board_goes_offline_after_missed_polls_and_heartbeats_stop_when_all_are_silent() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.attached().isEmpty());

        sim.board(2).fault(LockBoard.Fault.OFFLINE);
        await("board_offline", () -> host.events(Type.FAULT).stream().anyMatch(e -> "board_offline".equals(e.code())));
        int beats = host.heartbeats();
        await("heartbeats go on with board 1", () -> host.heartbeats() > beats + 2);
        assertThat(cabinet.unlock("B48", Duration.ofMillis(400)).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("offline");

        sim.board(1).fault(LockBoard.Fault.OFFLINE);
        Thread.sleep(400); // let in-flight polls finish
        int silent = host.heartbeats();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(host.heartbeats()).as("no heartbeat while every board is silent").isEqualTo(silent);

        sim.board(1).fault(LockBoard.Fault.NONE);
        sim.board(2).fault(LockBoard.Fault.NONE);
        await("board_online", () -> {
            List<CabinetEvent> faults = host.events(Type.FAULT);
            return "board_online".equals(faults.get(faults.size() - 1).code());
        });
        await("heartbeats again", () -> host.heartbeats() > silent);
    }

    @Test
    void events_refused_by_the_core_are_reported_again() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.events().isEmpty());
        host.refuseReports = true;
        sim.board(1).door(1, false);
        Thread.sleep(200);
        host.refuseReports = false;

        await("door event after the refusal", () -> host.events(Type.DOOR).size() == 1);
        assertThat(host.events(Type.DOOR).get(0).seq()).isEqualTo(2L);
    }

    @Test
    void hot_swap_detaches_then_reattaches_with_a_new_boot_reporting_only_what_changed_meanwhile() throws Exception {
        cabinet = cabinet();
        await("attached", () -> !host.events().isEmpty());
        sim.board(1).door(1, false);
        await("door 1 open", () -> host.events(Type.DOOR).size() == 1);

        cabinet.close(Cu48CabinetComponent.STOPPING);
        cabinet = null;
        assertThat(host.detached()).containsExactly("vendor bundle stopping");
        assertThat(host.driver.unlock("A02", Duration.ofMillis(400)).toCompletableFuture())
                .as("the old driver refuses; nothing is pulsed").failsWithin(Duration.ofSeconds(1));
        assertThat(sim.board(1).unlocks(2)).isZero();
        sim.board(1).door(1, true).item(1, true);
        int before = host.events().size();

        cabinet = cabinet();
        await("attached again", () -> host.attached().size() == 2);
        await("changes while detached", () -> host.events().size() >= before + 3);
        Thread.sleep(200);

        assertThat(host.attached().get(1).boot()).isGreaterThan(host.attached().get(0).boot());
        List<CabinetEvent> after = host.events().subList(before, host.events().size());
        assertThat(after.get(0).seq()).as("seq restarts with the boot").isEqualTo(1L);
        assertThat(after).filteredOn(e -> e.type() != Type.FAULT)
                .extracting(CabinetEvent::type, CabinetEvent::compartment, CabinetEvent::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Type.OCCUPANCY, "A01", true),
                        org.assertj.core.groups.Tuple.tuple(Type.DOOR, "A01", true));
    }
}
