package org.lockergate.core.internal.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.lockergate.api.spi.Notifier;
import org.lockergate.api.spi.PickupNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls every registered {@link Notifier} after a deposit is durable, off the committing thread. */
public final class Notifiers {

    private static final Logger LOG = LoggerFactory.getLogger(Notifiers.class);

    private final List<Notifier> notifiers = new CopyOnWriteArrayList<>();
    private final Executor executor;

    public Notifiers(Executor executor) {
        this.executor = executor;
    }

    public void add(Notifier notifier) {
        notifiers.add(notifier);
    }

    public void remove(Notifier notifier) {
        notifiers.remove(notifier);
    }

    public void deliver(PickupNotification notification) {
        for (Notifier notifier : notifiers) {
            try {
                executor.execute(() -> {
                    try {
                        notifier.notify(notification);
                    } catch (RuntimeException e) {
                        // never log the notification's code: the parcel id is enough to find it
                        LOG.warn("Notifier {} failed for parcel {}: {}", notifier.getClass().getName(),
                                notification.parcelId(), e.toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("Could not hand parcel {} to notifier {}: {}", notification.parcelId(),
                        notifier.getClass().getName(), e.toString());
            }
        }
    }
}
