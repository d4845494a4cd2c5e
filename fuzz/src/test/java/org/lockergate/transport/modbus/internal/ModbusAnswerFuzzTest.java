package org.lockergate.transport.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.lockergate.fuzz.Input;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusException;
import org.lockergate.transport.modbus.ModbusOptions;

/**
 * A lock board (CU48 over Modbus TCP) answering with arbitrary bytes: a board on 127.0.0.1 reads the request and
 * sends the fuzzer's answer (with the request's transaction id when the fuzzer asks for it, so the answer gets past
 * the header check), then closes. The gateway's Modbus client must yield exactly the registers asked for or fail
 * with {@link ModbusException}; nothing else may escape, and it never hangs.
 */
class ModbusAnswerFuzzTest {

    private static final ModbusOptions OPTIONS = ModbusOptions.DEFAULTS.withTimeout(Duration.ofMillis(300))
            .withRetries(0).withBackoff(Duration.ofMillis(1), Duration.ofMillis(1));
    private static final AtomicReference<byte[]> ANSWER = new AtomicReference<>(new byte[0]);
    private static final AtomicReference<Boolean> KEEP_ID = new AtomicReference<>(true);
    private static ServerSocket board;
    private static Thread boardThread;

    @BeforeAll
    static void startBoard() throws IOException {
        board = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        boardThread = new Thread(ModbusAnswerFuzzTest::serve, "fuzz-board");
        boardThread.setDaemon(true);
        boardThread.start();
    }

    @AfterAll
    static void stopBoard() throws IOException {
        board.close();
    }

    private static void serve() {
        while (!board.isClosed()) {
            try (Socket s = board.accept()) {
                s.setSoTimeout(1000);
                InputStream in = s.getInputStream();
                byte[] request = in.readNBytes(12); // MBAP header (7) + function + address + count
                byte[] answer = ANSWER.get().clone();
                if (KEEP_ID.get() && answer.length >= 2 && request.length >= 2) {
                    answer[0] = request[0];
                    answer[1] = request[1];
                }
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
                s.shutdownOutput();
                in.readNBytes(64); // until the client hangs up or the timeout
            } catch (IOException e) {
                // the next connection
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void holdingRegisters(byte[] input) throws Exception {
        // option byte: bits 0-2 = registers asked for - 1, bit 7 = send a foreign transaction id
        int count = 1 + (Input.options(input) & 0x07);
        KEEP_ID.set(!Input.bit(input, 7));
        ANSWER.set(Input.payload(input));
        try (TcpModbusClient client = new TcpModbusClient()) {
            ModbusBus bus = client.open("127.0.0.1", board.getLocalPort(), OPTIONS);
            try {
                int[] registers = bus.readHoldingRegisters(1, 0, count).get(10, TimeUnit.SECONDS);
                assertThat(registers).hasSize(count);
                for (int r : registers) {
                    assertThat(r).isBetween(0, 0xFFFF);
                }
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("only ModbusException escapes").isInstanceOf(ModbusException.class);
            } finally {
                bus.close();
            }
        }
    }
}
