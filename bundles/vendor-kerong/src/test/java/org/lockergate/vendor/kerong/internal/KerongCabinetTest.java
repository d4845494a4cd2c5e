package org.lockergate.vendor.kerong.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.devices.lockboards.KerongSimulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.lockergate.vendor.lockboard.internal.BoardCabinet;
import org.lockergate.vendor.lockboard.internal.CabinetPlan;
import org.lockergate.vendor.lockboard.internal.CompartmentMap;
import org.lockergate.vendor.lockboard.internal.PollSettings;

/** The bus and a Kerong cabinet against the simulator over real TCP on 127.0.0.1. */
class KerongCabinetTest {

    private static final KerongBus.Options OPTIONS = new KerongBus.Options(Duration.ofMillis(200), 1, 64,
            Duration.ofMillis(100), Duration.ofMillis(400));

    private KerongSimulator sim;
    private KerongBuses buses;
    private final List<CabinetDescriptor> attached = new ArrayList<>();
    private final List<CabinetEvent> events = new ArrayList<>();
    private final List<String> detached = new ArrayList<>();
    private BoardCabinet cabinet;

    private final CabinetHost host = new CabinetHost() {
        @Override
        public CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) {
            synchronized (events) {
                attached.add(descriptor);
            }
            return new CabinetLink() {
                @Override
                public long report(long boot, List<CabinetEvent> batch) {
                    synchronized (events) {
                        events.addAll(batch);
                    }
                    return batch.isEmpty() ? 0 : batch.get(batch.size() - 1).seq();
                }

                @Override
                public void heartbeat() {
                }

                @Override
                public void detach(String reason) {
                    synchronized (events) {
                        detached.add(reason);
                    }
                }
            };
        }
    };

    @BeforeEach
    void start() throws Exception {
        sim = KerongSimulator.start(0, 0, 1);
        buses = new KerongBuses();
    }

    @AfterEach
    void stop() {
        if (cabinet != null) {
            cabinet.close("test over");
        }
        buses.close();
        sim.close();
    }

    @Test
    void status_reads_map_lock_bits_to_doors_and_item_bits_to_occupancy() throws Exception {
        sim.board(1).door(3, false).item(16, true);
        KerongIo io = buses.open("127.0.0.1", sim.port(), OPTIONS);

        var state = io.read(2).get(2, TimeUnit.SECONDS);

        assertThat(state.door(1)).isTrue();
        assertThat(state.door(3)).isFalse();
        assertThat(state.item(16)).isTrue();
        assertThat(state.item(1)).isFalse();
    }

    @Test
    void unlock_one_sends_the_lock_index_and_pulses_only_that_lock() throws Exception {
        KerongIo io = buses.open("127.0.0.1", sim.port(), OPTIONS);

        io.pulse(1, 7, Duration.ofMillis(400)).get(2, TimeUnit.SECONDS);

        assertThat(sim.board(0).unlocks(7)).isEqualTo(1);
        assertThat(sim.board(0).unlockCounter()).isEqualTo(1);
    }

    @Test
    void garbage_and_corrupt_frames_on_the_line_are_skipped() throws Exception {
        sim.board(0).fault(LockBoard.Fault.GARBAGE).door(2, false);
        KerongIo io = buses.open("127.0.0.1", sim.port(), OPTIONS);

        for (int i = 0; i < 5; i++) {
            assertThat(io.doorClosed(1, 2).get(2, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void a_command_with_a_bad_checksum_gets_no_answer_from_the_board() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sim.port())) {
            byte[] bad = KerongCodec.command(0x00, 0x30);
            bad[4] ^= 1;
            socket.getOutputStream().write(bad);
            socket.setSoTimeout(300);
            assertThat(readOrTimeout(socket)).isEqualTo(-2);
            socket.getOutputStream().write(KerongCodec.command(0x00, 0x30));
            assertThat(readOrTimeout(socket)).isEqualTo(0x02);
        }
        assertThat(sim.badChecksums()).isEqualTo(1);
    }

    @Test
    void a_silent_board_times_out_without_delaying_another_bus() throws Exception {
        sim.board(1).fault(LockBoard.Fault.OFFLINE);
        try (KerongSimulator other = KerongSimulator.start(0, 0)) {
            KerongIo silent = buses.open("127.0.0.1", sim.port(), OPTIONS);
            KerongIo fine = buses.open("127.0.0.1", other.port(), OPTIONS);
            var stuck = silent.read(2);
            long start = System.nanoTime();
            fine.read(1).get(2, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(150);
            assertThat(stuck).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("did not answer");
        }
    }

    @Test
    void a_cabinet_attaches_reports_changes_and_unlock_is_verified() throws Exception {
        CabinetPlan plan = new CabinetPlan("K1", "G1", "kerong", "KR-CU16", List.of(1, 2),
                CompartmentMap.parse(new String[] {"1:1-16=K01:S", "2:1=K17:L"}, List.of(1, 2), 16, SizeClass.M));
        cabinet = new BoardCabinet(plan, buses.open("127.0.0.1", sim.port(), OPTIONS), host, p -> java.util.Map.of(),
                new PollSettings(Duration.ofMillis(50), 3, Duration.ofMillis(800), Duration.ofMillis(20)));
        cabinet.start();
        await(() -> !attached.isEmpty() && events.size() >= 34);
        assertThat(attached.get(0).vendor()).isEqualTo("kerong");
        assertThat(attached.get(0).compartments()).hasSize(17);

        assertThat(cabinet.unlock("K05", Duration.ofMillis(400)).toCompletableFuture().get(3, TimeUnit.SECONDS))
                .isEqualTo(UnlockOutcome.OPENED);
        assertThat(sim.board(0).unlocks(5)).isEqualTo(1);
        sim.board(1).jam(1, true);
        assertThat(cabinet.unlock("K17", Duration.ofMillis(400)).toCompletableFuture().get(3, TimeUnit.SECONDS))
                .isEqualTo(UnlockOutcome.JAMMED);
        sim.board(0).door(9, false);
        await(() -> events.stream().anyMatch(e -> "K09".equals(e.compartment()) && !e.value()));

        cabinet.close("vendor bundle stopping");
        cabinet = null;
        assertThat(detached).containsExactly("vendor bundle stopping");
    }

    private static int readOrTimeout(java.net.Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException e) {
            return -2;
        }
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            synchronized (events) {
                if (condition.getAsBoolean()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s; events " + events.size());
            }
            Thread.sleep(10);
        }
    }
}
