package org.lockergate.core.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.core.internal.events.Events;
import org.lockergate.store.LockerStore;

/** What every part of the core needs: the store, the clock, the event poster and the current settings. */
public final class Env {

    /** ISO-8601 with milliseconds and a numeric offset, as every time on the CoAP APIs: {@code …T10:05:00.000+08:00}. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

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

    /**
     * The gateway clock's time truncated to milliseconds: every time the core creates (stored, answered, put in
     * events) has the precision of the wire format, so a time answered equals the same time stored and read back.
     */
    public Instant now() {
        return clock.now().truncatedTo(ChronoUnit.MILLIS);
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

    /** ISO-8601 with exactly three fraction digits and the community's offset, as the kiosk and cabinet APIs write times. */
    public String isoMillis(Instant instant) {
        return instant == null ? null : MILLIS.format(instant.atZone(clock.zone()));
    }
}
