package org.lockergate.devices.lockboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockBoardTest {

    @Test
    void an_unlock_opens_the_door_and_auto_close_shuts_it_again() throws Exception {
        try (Cu48Simulator sim = Cu48Simulator.start(0, 1)) {
            LockBoard board = sim.board(1).openDelay(Duration.ZERO).autoClose(Duration.ofMillis(100));
            board.unlock(3);
            assertThat(board.doorClosed(3)).isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!board.doorClosed(3) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(board.doorClosed(3)).isTrue();
            assertThat(board.unlocks(3)).isEqualTo(1);
        }
    }

    @Test
    void a_jammed_lock_stays_closed_and_sets_fault_bit_0() throws Exception {
        try (Cu48Simulator sim = Cu48Simulator.start(0, 1)) {
            LockBoard board = sim.board(1).openDelay(Duration.ZERO).jam(1, true);
            board.unlock(1);
            assertThat(board.doorClosed(1)).isTrue();
            assertThat(board.faultBits() & 1).isEqualTo(1);
            assertThat(board.clearFaults().faultBits()).isZero();
        }
    }

    @Test
    void the_cu48_register_map_answers_reads_writes_and_exceptions() throws Exception {
        try (Cu48Simulator sim = Cu48Simulator.start(0, 1)) {
            LockBoard board = sim.board(1).openDelay(Duration.ZERO).item(2, true);
            // read discrete inputs 0-95
            byte[] di = Cu48Simulator.handle(board, new byte[] {2, 0, 0, 0, 96});
            assertThat(di[0]).isEqualTo((byte) 2);
            assertThat(di[1]).isEqualTo((byte) 12);
            assertThat(di[2]).isEqualTo((byte) 0xFF);
            assertThat(di[2 + 6] & 0x02).as("item 2 = input 49").isEqualTo(2);
            // input registers
            byte[] ir = Cu48Simulator.handle(board, new byte[] {4, 0, 1, 0, 1});
            assertThat(ir).containsExactly(4, 2, 0, 48);
            // coil write 1 = unlock channel 6
            assertThat(Cu48Simulator.handle(board, new byte[] {5, 0, 5, (byte) 0xFF, 0})).hasSize(5);
            assertThat(board.unlocks(6)).isEqualTo(1);
            // exceptions
            assertThat(Cu48Simulator.handle(board, new byte[] {2, 0, 90, 0, 10})).containsExactly(0x82, 2);
            assertThat(Cu48Simulator.handle(board, new byte[] {6, 0, 0, 0, 10})).containsExactly(0x86, 3);
            assertThat(Cu48Simulator.handle(board, new byte[] {5, 0, 48, (byte) 0xFF, 0})).containsExactly(0x85, 2);
            assertThat(Cu48Simulator.handle(board, new byte[] {8, 0, 0, 0, 0})).containsExactly(0x88, 1);
        }
    }

    @Test
    void the_kerong_status_answer_has_lock_and_item_bits_and_a_checksum() throws Exception {
        try (KerongSimulator sim = KerongSimulator.start(0, 3)) {
            LockBoard board = sim.board(3).door(1, false).item(16, true);
            byte[] frame = KerongSimulator.status(board, 0x30);
            assertThat(frame[3] & 0xFF).isEqualTo(0xFE);
            assertThat(frame[4] & 0xFF).isEqualTo(0xFF);
            assertThat(frame[6] & 0xFF).isEqualTo(0x80);
            assertThat(frame[8]).isEqualTo(KerongSimulator.sum(frame, 8));
        }
    }
}
