package org.lockergate.opcua.internal;

/**
 * NOT IMPLEMENTED YET: the R14 alarms as OPC UA AlarmConditionType instances. {@link LockerSync} already calls
 * {@link #sync()} after every {@code lockergate/alarm/CHANGED} event; this class has to read
 * {@code AlarmService.open()} there and create, update or retire the condition nodes (see the bundle's README).
 */
class AlarmConditions {

    void sync() {
        // no alarm conditions yet
    }
}
