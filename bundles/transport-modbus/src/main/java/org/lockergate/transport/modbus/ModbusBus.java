package org.lockergate.transport.modbus;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A handle on one Modbus TCP endpoint. Requests are queued and executed one at a time on the endpoint; each stage
 * completes on a transport thread (move heavy work elsewhere) normally or with a {@link ModbusException}. Addresses
 * are protocol addresses (from 0); {@code unit} is the Modbus unit id (slave address) 0–255.
 *
 * <p>Reads are retried ({@link ModbusOptions#retries()}) after a timeout or a broken connection; writes never are:
 * after a failed write its effect on the device is unknown (an unlock pulse may have been delivered), so the caller
 * decides, usually by reading back.
 */
@ProviderType
public interface ModbusBus extends AutoCloseable {

    /** Function 01: {@code count} coils from {@code address}. */
    CompletableFuture<boolean[]> readCoils(int unit, int address, int count);

    /** Function 02: {@code count} discrete inputs from {@code address} (up to 2000 in one request). */
    CompletableFuture<boolean[]> readDiscreteInputs(int unit, int address, int count);

    /** Function 03: {@code count} holding registers (unsigned 16 bit) from {@code address}. */
    CompletableFuture<int[]> readHoldingRegisters(int unit, int address, int count);

    /** Function 04: {@code count} input registers (unsigned 16 bit) from {@code address}. */
    CompletableFuture<int[]> readInputRegisters(int unit, int address, int count);

    /** Function 05: writes one coil. Never retried. */
    CompletableFuture<Void> writeCoil(int unit, int address, boolean value);

    /** Function 06: writes one holding register (0–65535). Never retried. */
    CompletableFuture<Void> writeRegister(int unit, int address, int value);

    /** {@code host:port}. */
    String endpoint();

    /** The endpoint's current state. */
    ModbusBusStatus status();

    /**
     * Releases this handle: its queued requests fail with {@link ModbusException.Reason#CLOSED}; the connection is
     * closed when no other handle uses the endpoint. Idempotent.
     */
    @Override
    void close();
}
