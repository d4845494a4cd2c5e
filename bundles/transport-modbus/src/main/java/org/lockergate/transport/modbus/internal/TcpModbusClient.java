package org.lockergate.transport.modbus.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusBusStatus;
import org.lockergate.transport.modbus.ModbusClient;
import org.lockergate.transport.modbus.ModbusOptions;

/**
 * The client without OSGi: endpoints by {@code host:port}, shared by every handle opened on them and closed with the
 * last one. Usable from tests and plain Java.
 */
public final class TcpModbusClient implements ModbusClient, AutoCloseable {

    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final LongSupplier nanos;
    private boolean closed;

    public TcpModbusClient() {
        this(System::nanoTime);
    }

    TcpModbusClient(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public ModbusBus open(String host, int port, ModbusOptions options) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        ModbusOptions effective = options == null ? ModbusOptions.DEFAULTS : options;
        String key = host.strip() + ":" + port;
        Endpoint endpoint;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Modbus 客户端已停止 / the Modbus client is stopped");
            }
            endpoint = endpoints.computeIfAbsent(key, k -> new Endpoint(host.strip(), port, effective, nanos));
            endpoint.retain();
        }
        return new Handle(endpoint, effective);
    }

    @Override
    public synchronized List<ModbusBusStatus> status() {
        List<ModbusBusStatus> out = new ArrayList<>();
        endpoints.values().forEach(e -> out.add(e.status()));
        out.sort((a, b) -> a.endpoint().compareTo(b.endpoint()));
        return out;
    }

    /** Closes every endpoint; open handles fail their requests with CLOSED from now on. */
    @Override
    public void close() {
        List<Endpoint> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(endpoints.values());
            endpoints.clear();
        }
        all.forEach(Endpoint::close);
    }

    private void release(Endpoint endpoint) {
        boolean last;
        synchronized (this) {
            last = endpoint.release() == 0;
            if (last) {
                endpoints.remove(endpoint.name(), endpoint);
            }
        }
        if (last) {
            endpoint.close();
        }
    }

    private final class Handle implements ModbusBus {

        private final Endpoint endpoint;
        private final ModbusOptions options;
        private volatile boolean released;

        Handle(Endpoint endpoint, ModbusOptions options) {
            this.endpoint = endpoint;
            this.options = options;
        }

        @Override
        public CompletableFuture<boolean[]> readCoils(int unit, int address, int count) {
            check(unit, address, count, 2000);
            return submit(unit, new Op<>(false, "read coils " + range(address, count),
                    (link, u) -> link.readCoils(u, address, count)));
        }

        @Override
        public CompletableFuture<boolean[]> readDiscreteInputs(int unit, int address, int count) {
            check(unit, address, count, 2000);
            return submit(unit, new Op<>(false, "read discrete inputs " + range(address, count),
                    (link, u) -> link.readDiscreteInputs(u, address, count)));
        }

        @Override
        public CompletableFuture<int[]> readHoldingRegisters(int unit, int address, int count) {
            check(unit, address, count, 125);
            return submit(unit, new Op<>(false, "read holding registers " + range(address, count),
                    (link, u) -> link.readHoldingRegisters(u, address, count)));
        }

        @Override
        public CompletableFuture<int[]> readInputRegisters(int unit, int address, int count) {
            check(unit, address, count, 125);
            return submit(unit, new Op<>(false, "read input registers " + range(address, count),
                    (link, u) -> link.readInputRegisters(u, address, count)));
        }

        @Override
        public CompletableFuture<Void> writeCoil(int unit, int address, boolean value) {
            check(unit, address, 1, 1);
            return submit(unit, new Op<>(true, "write coil " + address + " = " + (value ? 1 : 0), (link, u) -> {
                link.writeCoil(u, address, value);
                return null;
            }));
        }

        @Override
        public CompletableFuture<Void> writeRegister(int unit, int address, int value) {
            check(unit, address, 1, 1);
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("register value must be 0-65535: " + value);
            }
            return submit(unit, new Op<>(true, "write register " + address + " = " + value, (link, u) -> {
                link.writeRegister(u, address, value);
                return null;
            }));
        }

        @Override
        public String endpoint() {
            return endpoint.name();
        }

        @Override
        public ModbusBusStatus status() {
            return endpoint.status();
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            endpoint.cancel(this);
            release(endpoint);
        }

        @SuppressWarnings("unchecked")
        private <T> CompletableFuture<T> submit(int unit, Op<T> op) {
            CompletableFuture<Object> future = new CompletableFuture<>();
            Request request = new Request(this, unit, op, options, future, nanos.getAsLong());
            if (released) {
                future.completeExceptionally(new org.lockergate.transport.modbus.ModbusException(
                        org.lockergate.transport.modbus.ModbusException.Reason.CLOSED,
                        "Modbus 连接句柄已关闭 / Modbus handle on " + endpoint.name() + " is closed: " + op.describe()
                                + " not sent"));
            } else {
                endpoint.submit(request);
            }
            return (CompletableFuture<T>) (CompletableFuture<?>) future;
        }

        @Override
        public String toString() {
            return "Modbus bus " + endpoint.name();
        }
    }

    private static void check(int unit, int address, int count, int max) {
        if (unit < 0 || unit > 255) {
            throw new IllegalArgumentException("unit must be 0-255: " + unit);
        }
        if (address < 0 || address > 0xFFFF) {
            throw new IllegalArgumentException("address must be 0-65535: " + address);
        }
        if (count < 1 || count > max || address + count > 0x10000) {
            throw new IllegalArgumentException("count must be 1-" + max + " within the address space: " + count);
        }
    }

    private static String range(int address, int count) {
        return count == 1 ? Integer.toString(address) : address + "-" + (address + count - 1);
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(Request.Link link, int unit) throws Exception;
    }

    private record Op<T>(boolean write, String describe, Body<T> body) implements Request.Op {
        @Override
        public Object execute(Request.Link link, int unit) throws Exception {
            return body.run(link, unit);
        }
    }
}
