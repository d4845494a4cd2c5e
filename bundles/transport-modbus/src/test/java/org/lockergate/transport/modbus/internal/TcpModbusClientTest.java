package org.lockergate.transport.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusException;
import org.lockergate.transport.modbus.ModbusException.Reason;
import org.lockergate.transport.modbus.ModbusOptions;

/** The client against the CU48 simulator over real TCP on 127.0.0.1 (ephemeral ports). */
class TcpModbusClientTest {

    private static final ModbusOptions FAST = ModbusOptions.DEFAULTS.withTimeout(Duration.ofMillis(300))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    private Cu48Simulator sim;
    private TcpModbusClient client;

    @BeforeEach
    void start() throws Exception {
        sim = Cu48Simulator.start(0, 1, 2);
        client = new TcpModbusClient();
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    @Test
    void reads_all_96_discrete_inputs_of_a_board_in_one_request() throws Exception {
        sim.board(1).door(5, false).item(7, true).item(48, true);
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);

        boolean[] inputs = get(bus.readDiscreteInputs(1, 0, 96));

        assertThat(inputs).hasSize(96);
        assertThat(inputs[4]).as("door 5 closed").isFalse();
        assertThat(inputs[0]).as("door 1 closed").isTrue();
        assertThat(inputs[48 + 6]).as("item 7").isTrue();
        assertThat(inputs[48 + 47]).as("item 48").isTrue();
        assertThat(inputs[48]).as("item 1").isFalse();
        assertThat(bus.status().transactions()).isEqualTo(1);
    }

    @Test
    void reads_input_and_holding_registers() throws Exception {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);

        assertThat(get(bus.readInputRegisters(2, 0, 4))).containsExactly(Cu48Simulator.FIRMWARE, 48, 0, 0);
        get(bus.writeRegister(2, 0, 800));
        assertThat(get(bus.readHoldingRegisters(2, 0, 1))).containsExactly(800);
    }

    @Test
    void a_coil_write_pulses_the_lock_once() throws Exception {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);

        get(bus.writeCoil(1, 11, true));

        assertThat(sim.board(1).unlocks(12)).isEqualTo(1);
        assertThat(sim.board(1).unlockCounter()).isEqualTo(1);
    }

    @Test
    void exception_02_is_a_bad_address_and_03_a_bad_value() {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);

        ModbusException address = failure(bus.readDiscreteInputs(1, 90, 10));
        ModbusException value = failure(bus.writeRegister(1, 0, 10));

        assertThat(address.reason()).isEqualTo(Reason.EXCEPTION);
        assertThat(address.isIllegalAddress()).isTrue();
        assertThat(address.getMessage()).contains("02", "bad address", "地址无效", "unit 1");
        assertThat(value.isIllegalValue()).isTrue();
        assertThat(value.getMessage()).contains("03", "bad value");
    }

    @Test
    void an_exception_reply_fault_is_reported_as_device_failure() {
        sim.board(1).fault(LockBoard.Fault.EXCEPTION);
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);

        ModbusException e = failure(bus.readDiscreteInputs(1, 0, 96));

        assertThat(e.reason()).isEqualTo(Reason.EXCEPTION);
        assertThat(e.exceptionCode()).isEqualTo(ModbusException.DEVICE_FAILURE);
    }

    @Test
    void one_transaction_at_a_time_per_endpoint_in_queue_order() throws Exception {
        sim.board(1).fault(LockBoard.Fault.SLOW).slowDelay(Duration.ofMillis(100));
        ModbusBus a = client.open("127.0.0.1", sim.port(), FAST);
        ModbusBus b = client.open("127.0.0.1", sim.port(), FAST);
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();

        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            ModbusBus bus = i % 2 == 0 ? a : b;
            all.add(bus.readInputRegisters(1, 0, 1).thenRun(() -> order.add(n)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        assertThat(order).containsExactly(0, 1, 2, 3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("serial, not parallel")
                .isGreaterThanOrEqualTo(400);
        assertThat(sim.connectionsAccepted()).as("handles share one connection").isEqualTo(1);
        assertThat(client.status()).hasSize(1);
        assertThat(client.status().get(0).handles()).isEqualTo(2);
    }

    @Test
    void a_silent_unit_times_out_then_is_isolated_while_its_neighbour_keeps_answering() throws Exception {
        sim.board(2).fault(LockBoard.Fault.OFFLINE);
        // a timeout far above scheduling noise: "fails at once" is then told apart from "waited for a timeout"
        // even on a loaded CI machine
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST.withTimeout(Duration.ofMillis(1500)).withRetries(0)
                .withUnitFailures(2).withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(10)));

        assertThat(failure(bus.readDiscreteInputs(2, 0, 96)).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure(bus.readDiscreteInputs(2, 0, 96)).reason()).isEqualTo(Reason.TIMEOUT);
        long start = System.nanoTime();
        ModbusException isolated = failure(bus.readDiscreteInputs(2, 0, 96));
        long isolatedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(isolated.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(isolated.getMessage()).contains("isolated", "unit 2");
        assertThat(isolatedMillis).as("fails at once, without waiting for the 1.5 s timeout").isLessThan(1000);
        start = System.nanoTime();
        assertThat(get(bus.readDiscreteInputs(1, 0, 96))).hasSize(96);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("the neighbour answers, no timeout")
                .isLessThan(1000);
    }

    @Test
    void a_dead_or_slow_endpoint_never_delays_another() throws Exception {
        int dead = freePort();
        try (Cu48Simulator slow = Cu48Simulator.start(0, 1)) {
            slow.board(1).fault(LockBoard.Fault.SLOW).slowDelay(Duration.ofSeconds(2));
            ModbusBus deadBus = client.open("127.0.0.1", dead, FAST);
            ModbusBus slowBus = client.open("127.0.0.1", slow.port(), FAST.withTimeout(Duration.ofSeconds(3)));
            ModbusBus good = client.open("127.0.0.1", sim.port(), FAST);
            CompletableFuture<boolean[]> stuck = slowBus.readDiscreteInputs(1, 0, 96);
            CompletableFuture<boolean[]> refused = deadBus.readDiscreteInputs(1, 0, 96);

            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                get(good.readDiscreteInputs(1, 0, 96));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(millis).as("10 reads beside a dead and a slow endpoint").isLessThan(1000);
            assertThat(stuck).isNotDone();
            assertThat(failure(refused).reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(stuck.get(5, TimeUnit.SECONDS)).hasSize(96);
        }
    }

    @Test
    void an_unreachable_endpoint_backs_off_and_connects_when_it_comes_back() throws Exception {
        int port = freePort();
        ModbusBus bus = client.open("127.0.0.1", port, FAST.withBackoff(Duration.ofMillis(300), Duration.ofSeconds(1)));

        ModbusException first = failure(bus.readCoils(1, 0, 1));
        ModbusException second = failure(bus.readCoils(1, 0, 1));

        assertThat(first.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(first.getMessage()).contains("cannot connect");
        assertThat(second.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(second.getMessage()).contains("next connect in");
        try (Cu48Simulator back = Cu48Simulator.start(port, 1)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean[] answer = null;
            while (answer == null && System.nanoTime() < deadline) {
                try {
                    answer = bus.readCoils(1, 0, 1).get(2, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    Thread.onSpinWait();
                }
            }
            assertThat(answer).as("connected again within the backoff").isNotNull();
        }
    }

    @Test
    void a_dropped_connection_is_made_again_and_the_read_retried() throws Exception {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);
        get(bus.readCoils(1, 0, 8));

        sim.dropConnections();
        boolean[] again = get(bus.readCoils(1, 0, 8));

        assertThat(again).hasSize(8);
        assertThat(sim.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void garbage_on_the_wire_fails_the_request_and_the_connection_recovers() throws Exception {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST.withRetries(0));
        sim.board(1).fault(LockBoard.Fault.GARBAGE);

        assertThat(failure(bus.readDiscreteInputs(1, 0, 96)).isNoAnswer()).isTrue();
        sim.board(1).fault(LockBoard.Fault.NONE);

        assertThat(get(bus.readDiscreteInputs(1, 0, 96))).hasSize(96);
    }

    @Test
    void a_full_queue_refuses_at_once_and_closing_a_handle_fails_its_queued_requests() throws Exception {
        // the first request occupies the bus for 3 s: long enough for the rest of the test on a busy machine
        sim.board(1).fault(LockBoard.Fault.SLOW).slowDelay(Duration.ofSeconds(3));
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST.withTimeout(Duration.ofSeconds(5))
                .withQueue(Duration.ofSeconds(5), 2));
        CompletableFuture<int[]> running = bus.readInputRegisters(1, 0, 1);
        waitUntil(() -> bus.status().queued() == 0);
        CompletableFuture<int[]> q1 = bus.readInputRegisters(1, 0, 1);
        CompletableFuture<int[]> q2 = bus.readInputRegisters(1, 0, 1);

        assertThat(failure(bus.readInputRegisters(1, 0, 1)).reason()).isEqualTo(Reason.QUEUE_FULL);
        bus.close();
        assertThat(failure(q1).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(q2).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(bus.readInputRegisters(1, 0, 1)).reason()).isEqualTo(Reason.CLOSED);
        running.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }

    @Test
    void writes_are_never_retried() throws Exception {
        sim.board(1).fault(LockBoard.Fault.OFFLINE);
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST.withRetries(3));

        ModbusException e = failure(bus.writeCoil(1, 0, true));

        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("1 attempt)");
    }

    @Test
    void bad_arguments_are_refused_before_anything_is_sent() {
        ModbusBus bus = client.open("127.0.0.1", sim.port(), FAST);
        assertThatThrownBy(() -> bus.readDiscreteInputs(256, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.readInputRegisters(1, 0, 126)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.open(" ", 502, FAST)).isInstanceOf(IllegalArgumentException.class);
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    static ModbusException failure(CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ModbusException.class);
            return (ModbusException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no answer", e);
        }
        throw new AssertionError("expected a failure");
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
