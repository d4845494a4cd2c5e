package org.lockergate.core.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.core.internal.events.Events;
import org.lockergate.store.LockerStore;

/** What every part of the core needs: the store, the clock, the event poster and the current settings. */
public final class Env {

    private final LockerStore store;
    private final GatewayClock clock;
    private final Events events;
    private volatile Settings settings;

    public Env(LockerStore store, GatewayClock clock, Events events, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public LockerStore store() {
        return store;
    }

    public GatewayClock clock() {
        return clock;
    }

    public Instant now() {
        return clock.now();
    }

    public Events events() {
        return events;
    }

    public Settings settings() {
        return settings;
    }

    public void settings(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** ISO-8601 with the community's offset, as every outbox payload carries times. */
    public String iso(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, clock.zone()).toString();
    }
}
