package org.lockergate.transport.modbus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}: nothing to set for most gateways; vendor bundles pass their own options. */
@ObjectClassDefinition(id = TransportConfig.PID, name = "LockerGate Modbus TCP 传输 / Modbus TCP transport",
        description = "The Modbus TCP client shared by vendor bundles. Timeouts and retries are chosen per cabinet by"
                + " the vendor bundles; this only limits the whole service.")
public @interface TransportConfig {

    String PID = "org.lockergate.transport.modbus";

    @AttributeDefinition(name = "Most endpoints",
            description = "Most host:port endpoints open at once (each has a thread and a TCP connection).",
            min = "1", max = "4096")
    int maxEndpoints() default 256;
}
