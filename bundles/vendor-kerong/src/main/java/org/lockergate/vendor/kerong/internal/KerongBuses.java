package org.lockergate.vendor.kerong.internal;

import java.util.HashMap;
import java.util.Map;

/** The buses of one vendor bundle by {@code host:port}: cabinets on one serial server share its bus. */
final class KerongBuses implements AutoCloseable {

    private final Map<String, KerongBus> buses = new HashMap<>();
    private final Map<String, Integer> users = new HashMap<>();

    /** A {@link KerongIo} on the shared bus; closing it releases the bus (closed with its last user). */
    synchronized KerongIo open(String host, int port, KerongBus.Options options) {
        String key = host + ":" + port;
        KerongBus bus = buses.computeIfAbsent(key, k -> new KerongBus(host, port, options));
        users.merge(key, 1, Integer::sum);
        return new KerongIo(bus, () -> release(key));
    }

    private synchronized void release(String key) {
        Integer left = users.computeIfPresent(key, (k, n) -> n - 1);
        if (left != null && left <= 0) {
            users.remove(key);
            KerongBus bus = buses.remove(key);
            if (bus != null) {
                bus.close();
            }
        }
    }

    @Override
    public synchronized void close() {
        buses.values().forEach(KerongBus::close);
        buses.clear();
        users.clear();
    }
}
