package org.lockergate.vendor.lockboard.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.spi.CabinetDriver;

/** A recording core: attaches, reported events, heartbeats, detaches, and the sensors it would store. */
public final class FakeHost implements CabinetHost {

    public final List<CabinetDescriptor> attached = new ArrayList<>();
    public final List<CabinetEvent> events = new ArrayList<>();
    public final List<Long> reportBoots = new ArrayList<>();
    public final List<String> detached = new ArrayList<>();
    public final Map<String, Sensors> stored = new HashMap<>();
    public int heartbeats;
    public CabinetDriver driver;
    public volatile boolean refuseReports;

    @Override
    public synchronized CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) throws LockerException {
        attached.add(descriptor);
        this.driver = driver;
        for (var spec : descriptor.compartments()) {
            stored.putIfAbsent(spec.label(), new Sensors(true, false));
        }
        return new CabinetLink() {
            @Override
            public long report(long boot, List<CabinetEvent> batch) throws LockerException {
                synchronized (FakeHost.this) {
                    if (refuseReports) {
                        throw new LockerException(LockerException.Kind.UNAVAILABLE, "store_failed", "refused");
                    }
                    reportBoots.add(boot);
                    long max = 0;
                    for (CabinetEvent e : batch) {
                        events.add(e);
                        max = Math.max(max, e.seq());
                        Sensors s = stored.getOrDefault(e.compartment(), Sensors.UNKNOWN);
                        if (e.type() == CabinetEvent.Type.DOOR) {
                            stored.put(e.compartment(), new Sensors(e.value(), s.itemPresent()));
                        } else if (e.type() == CabinetEvent.Type.OCCUPANCY) {
                            stored.put(e.compartment(), new Sensors(s.doorClosed(), e.value()));
                        }
                    }
                    return max;
                }
            }

            @Override
            public void heartbeat() {
                synchronized (FakeHost.this) {
                    heartbeats++;
                }
            }

            @Override
            public void detach(String reason) {
                synchronized (FakeHost.this) {
                    detached.add(reason);
                }
            }
        };
    }

    public synchronized Map<String, Sensors> baseline() {
        return new HashMap<>(stored);
    }

    public synchronized List<CabinetEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<CabinetEvent> events(CabinetEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public synchronized int heartbeats() {
        return heartbeats;
    }

    public synchronized List<String> detached() {
        return List.copyOf(detached);
    }

    public synchronized List<CabinetDescriptor> attached() {
        return List.copyOf(attached);
    }

    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
