package org.lockergate.kiosk.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}. */
@ObjectClassDefinition(id = KioskConfig.PID, name = "LockerGate 柜机 API / Kiosk API",
        description = "The CoAP kiosk API of each cabinet group (sessions, deposits, pickups, rejections, state).")
public @interface KioskConfig {

    String PID = "org.lockergate.kiosk";

    @AttributeDefinition(name = "Pickup code digits",
            description = "Length of a pickup code (R8). Must equal the core's code length. A code of another"
                    + " length or with other characters is answered 4.00 bad_request and not counted as a wrong"
                    + " code: it cannot match any parcel.",
            min = "4", max = "16")
    int pickupCodeDigits() default 8;
}
