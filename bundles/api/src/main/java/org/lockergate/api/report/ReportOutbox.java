package org.lockergate.api.report;

import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends a report to the cloud: the core writes it as an outbox event (stream EVENTS) with an audit row, in one
 * durable transaction; the upstream bundle delivers it like every other event. Implemented by the core.
 *
 * @since 1.1
 */
@ProviderType
public interface ReportOutbox {

    /**
     * Writes the event; returns its outbox sequence number once it is on disk.
     *
     * @param type the event type, e.g. {@code capacity.report}
     * @param actor who asked for it (an operator, or {@code system} for a scheduled report), for the audit row
     * @param data the payload: JSON-compatible values (maps, lists, strings, numbers, booleans)
     */
    long publish(String type, String actor, Map<String, Object> data) throws LockerException;
}
