package org.lockergate.api.locker;

import java.util.List;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one alarm life cycle (R14) every surface shares. Raising an alarm that is already active for the same
 * subject does nothing; each transition is durable, audited and written to the outbox's alarm stream.
 */
@ProviderType
public interface AlarmService {

    /** Active alarms and cleared ones not yet acknowledged, newest first. */
    List<Alarm> open();

    /** Raises an alarm from outside the core (upstream, disk, firmware); returns the active alarm. */
    Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message);

    /** Clears the active alarm of that type and subject, if any. */
    void clear(AlarmType type, String groupId, String cabinetId, String compartment);

    /**
     * Acknowledges an alarm.
     *
     * @param by the operator ({@code operator:NAME}) or surface that acknowledged it
     * @throws LockerException {@code not_found} for an unknown id; acknowledging twice is not an error
     */
    Alarm acknowledge(long alarmId, String by) throws LockerException;
}
