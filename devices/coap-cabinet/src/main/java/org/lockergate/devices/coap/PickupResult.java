package org.lockergate.devices.coap;

/**
 * The answer to a pickup: 2.04 with the parcel, the cabinet and compartment that opened, the unlock outcome and the
 * fee (in fen) with whether it is owed; or an error such as {@code wrong_code} ({@link KioskReply#attemptsLeft()}),
 * {@code locked} ({@link KioskReply#lockedUntil()}), {@code payment_required} or {@code door_jammed}.
 */
public record PickupResult(KioskReply reply, String parcelId, String cabinetId, String compartment, String unlock,
        long feeFen, boolean feeOwed) {

    static PickupResult of(KioskReply reply) {
        return new PickupResult(reply, reply.text("parcelId"), reply.text("cabinetId"), reply.text("compartment"),
                reply.text("unlock"), reply.body().path("feeFen").asLong(0), reply.body().path("feeOwed").asBoolean(false));
    }

    /** Picked up: 2.04 naming a compartment. */
    public boolean ok() {
        return reply.ok() && compartment != null;
    }
}
