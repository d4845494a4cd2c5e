package org.lockergate.vendor.coap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}; changes apply at once, registrations are kept. */
@ObjectClassDefinition(id = VendorConfig.PID, name = "LockerGate CoAP 柜子协议 / CoAP cabinet protocol",
        description = "Cabinets with their own controller speaking the open LockerGate CoAP cabinet protocol"
                + " (registration, heartbeats, events, unlocks).")
public @interface VendorConfig {

    String PID = "org.lockergate.vendor.coap";

    @AttributeDefinition(name = "Heartbeat (s)",
            description = "Told to each cabinet at registration: it refreshes its registration this often. The core"
                    + " marks a cabinet offline after 3 missed heartbeats. A registration's lifetime (lt) may not be"
                    + " shorter.", min = "1", max = "3600")
    int heartbeatSeconds() default 10;

    @AttributeDefinition(name = "Unlock timeout (s)",
            description = "How long an unlock waits for the cabinet's answer (R13: door window 10 s plus the pulse);"
                    + " never less than the pulse plus 1 s.", min = "1", max = "120")
    int unlockTimeoutSeconds() default 11;

    @AttributeDefinition(name = "Events per request",
            description = "Most events accepted in one POST /cabinets/{id}/events; more is 4.00 bad_event. The"
                    + " transport's largest request body limits batches too.", min = "1", max = "4096")
    int maxEventsPerRequest() default 256;

    @AttributeDefinition(name = "CoAPs required for cabinets with a key",
            description = "A cabinet whose id has a DTLS pre-shared key may only register, refresh and report over"
                    + " CoAPs, so nobody on the network can act for it over plain CoAP.")
    boolean dtlsRequiredWithKey() default true;
}
