package org.lockergate.api.event;

/**
 * EventAdmin topics ({@code lockergate/...}) and their property names. Posted asynchronously after the change's
 * transaction is durable.
 */
public final class LockerTopics {

    /** A compartment's state, door or occupancy changed. Properties: groupId, cabinetId, compartment, state. */
    public static final String COMPARTMENT_CHANGED = "lockergate/compartment/CHANGED";
    /** A parcel changed state. Properties: groupId, cabinetId, compartment, parcelId, state. */
    public static final String PARCEL_CHANGED = "lockergate/parcel/CHANGED";
    /** A cabinet attached, came online or went offline. Properties: groupId, cabinetId, online. */
    public static final String CABINET_CHANGED = "lockergate/cabinet/CHANGED";
    /** A group or cabinet was added to or removed from the registry. Properties: groupId, cabinetId. */
    public static final String REGISTRY_CHANGED = "lockergate/registry/CHANGED";
    /** An alarm was raised, cleared or acknowledged. Properties: alarmId, type, state, groupId, cabinetId, compartment. */
    public static final String ALARM_CHANGED = "lockergate/alarm/CHANGED";
    /** New rows were written to the outbox. Properties: stream. */
    public static final String OUTBOX_WRITTEN = "lockergate/outbox/WRITTEN";
    /** Everything under lockergate/. */
    public static final String ALL = "lockergate/*";

    public static final String GROUP_ID = "groupId";
    public static final String CABINET_ID = "cabinetId";
    public static final String COMPARTMENT = "compartment";
    public static final String PARCEL_ID = "parcelId";
    public static final String STATE = "state";
    public static final String ONLINE = "online";
    public static final String ALARM_ID = "alarmId";
    public static final String TYPE = "type";
    public static final String STREAM = "stream";

    private LockerTopics() {
    }
}
