package org.lockergate.kiosk.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}. */
@ObjectClassDefinition(id = KioskConfig.PID, name = "LockerGate 柜机 API / Kiosk API",
        description = "The CoAP kiosk API of each cabinet group (sessions, deposits, pickups, rejections, withdrawals,"
                + " recalls, state) and which kiosk may act for which group.")
public @interface KioskConfig {

    String PID = "org.lockergate.kiosk";

    @AttributeDefinition(name = "Pickup code digits",
            description = "Length of a pickup code (R8). Must equal the core's code length. A code of another"
                    + " length or with other characters is answered 4.00 bad_request and not counted as a wrong"
                    + " code: it cannot match any parcel.",
            min = "4", max = "16")
    int pickupCodeDigits() default 8;

    @AttributeDefinition(name = "Kiosk groups",
            description = "Which cabinet group each kiosk DTLS identity belongs to, as kioskId=groupId (one kiosk,"
                    + " one group). An identity not listed belongs to G when it is kiosk-G or G-kiosk; any other"
                    + " identity (a cabinet's, another group's kiosk) is answered 4.03 forbidden.")
    String[] kioskGroups() default {};

    @AttributeDefinition(name = "Require DTLS",
            description = "When true, plain CoAP (no DTLS identity) is answered 4.03 dtls_required on every kiosk"
                    + " route; when false (default) it is allowed.")
    boolean requireDtls() default false;
}
