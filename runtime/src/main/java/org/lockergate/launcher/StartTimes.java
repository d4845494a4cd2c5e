package org.lockergate.launcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * How long each bundle took to start, components included: the time from the previous bundle's STARTED to this
 * one's (the framework starts bundles one after another, and SCR activates a bundle's immediate components while it
 * starts). Logged once after "ready", so whoever chases the start-up target knows where the time goes.
 */
final class StartTimes implements SynchronousBundleListener {

    private record Start(String name, long nanos) {
    }

    private final List<Start> starts = new ArrayList<>();
    private long previous = System.nanoTime();

    static StartTimes install(BundleContext systemContext) {
        StartTimes times = new StartTimes();
        systemContext.addBundleListener(times);
        return times;
    }

    @Override
    public synchronized void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED) {
            long now = System.nanoTime();
            Bundle bundle = event.getBundle();
            starts.add(new Start(bundle.getSymbolicName(), now - previous));
            previous = now;
        }
    }

    /** e.g. "org.lockergate.store 412 ms, com.ibm.icu 380 ms, …". */
    synchronized String slowest(int count) {
        return starts.stream().sorted(Comparator.comparingLong(Start::nanos).reversed()).limit(count)
                .map(s -> s.name() + " " + s.nanos() / 1_000_000 + " ms").collect(Collectors.joining(", "));
    }

    void uninstall(BundleContext systemContext) {
        systemContext.removeBundleListener(this);
    }
}
