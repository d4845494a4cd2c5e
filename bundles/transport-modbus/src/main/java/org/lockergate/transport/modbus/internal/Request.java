package org.lockergate.transport.modbus.internal;

import java.util.concurrent.CompletableFuture;
import org.lockergate.transport.modbus.ModbusOptions;

/**
 * One queued request: what to do, for whom, and the stage to complete.
 *
 * @param handle the handle that sent it (its close fails its queued requests)
 * @param unit Modbus unit id
 * @param op the operation
 * @param options the handle's options
 * @param future completed by the endpoint's worker
 * @param enqueuedNanos when it was queued
 */
record Request(Object handle, int unit, Op op, ModbusOptions options, CompletableFuture<Object> future,
        long enqueuedNanos) {

    /** The library-facing part of a request; {@link #write()} requests are never retried. */
    interface Op {
        Object execute(Link link, int unit) throws Exception;

        boolean write();

        String describe();
    }

    /** What an operation runs against: the connected library master, hidden from the API. */
    interface Link {
        boolean[] readCoils(int unit, int address, int count) throws Exception;

        boolean[] readDiscreteInputs(int unit, int address, int count) throws Exception;

        int[] readHoldingRegisters(int unit, int address, int count) throws Exception;

        int[] readInputRegisters(int unit, int address, int count) throws Exception;

        void writeCoil(int unit, int address, boolean value) throws Exception;

        void writeRegister(int unit, int address, int value) throws Exception;
    }
}
