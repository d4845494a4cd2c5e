package org.lockergate.transport.modbus.internal;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;

/** The one class that talks to j2mod: a connected {@link ModbusTCPMaster} with library retries off. */
final class J2modLink implements Request.Link, AutoCloseable {

    private final ModbusTCPMaster master;

    private J2modLink(ModbusTCPMaster master) {
        this.master = master;
    }

    /** Connects; throws what the library throws (mapped by the endpoint). */
    static J2modLink connect(String host, int port, int connectTimeoutMillis) throws Exception {
        ModbusTCPMaster master = new ModbusTCPMaster(host, port, connectTimeoutMillis, false, false);
        master.connect();
        // one attempt per execute(): retries are ours, and writes must never be repeated by the library
        master.setRetries(1);
        master.setCheckingValidity(true);
        return new J2modLink(master);
    }

    void timeout(int millis) {
        master.setTimeout(millis);
    }

    boolean connected() {
        return master.isConnected();
    }

    @Override
    public boolean[] readCoils(int unit, int address, int count) throws Exception {
        return bits(master.readCoils(unit, address, count), count);
    }

    @Override
    public boolean[] readDiscreteInputs(int unit, int address, int count) throws Exception {
        return bits(master.readInputDiscretes(unit, address, count), count);
    }

    @Override
    public int[] readHoldingRegisters(int unit, int address, int count) throws Exception {
        return values(master.readMultipleRegisters(unit, address, count), count);
    }

    @Override
    public int[] readInputRegisters(int unit, int address, int count) throws Exception {
        return values(master.readInputRegisters(unit, address, count), count);
    }

    @Override
    public void writeCoil(int unit, int address, boolean value) throws Exception {
        master.writeCoil(unit, address, value);
    }

    @Override
    public void writeRegister(int unit, int address, int value) throws Exception {
        master.writeSingleRegister(unit, address, new SimpleRegister(value));
    }

    @Override
    public void close() {
        try {
            master.disconnect();
        } catch (RuntimeException e) {
            // closing anyway
        }
    }

    private static boolean[] bits(BitVector vector, int count) {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count && i < vector.size(); i++) {
            out[i] = vector.getBit(i);
        }
        return out;
    }

    private static int[] values(InputRegister[] registers, int count) {
        if (registers == null || registers.length < count) {
            throw new IllegalStateException("short answer: " + (registers == null ? 0 : registers.length) + " of "
                    + count + " registers");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = registers[i].toUnsignedShort();
        }
        return out;
    }
}
