package org.lockergate.api.send;

import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.SendOrderState;

/**
 * Sending and returns from the locker (R20). Every state change is one durable transaction with its outbox event
 * ({@code send.ordered}, {@code send.dropped}, {@code send.collected}, {@code send.cancelled}) and audit row.
 */
public interface SendService {

    /**
     * Reserves a compartment for a cloud order and issues its send code (to the resident through the
     * {@code notification.requested} outbox row only). Refused: 409 {@code duplicate_order} for a known order id,
     * 503 {@code camera_offline} while the group's camera is offline, {@code full} (with {@code suggest}) when no
     * compartment fits, 400 {@code bad_request} for bad fields or an expiry in the past.
     *
     * @param actor who ordered, for the audit (e.g. {@code cloud:<requestId>})
     */
    SendOrder order(SendOrderRequest request, String actor) throws LockerException;

    /** Cancels an order that was not dropped yet and frees its compartment; 409 {@code not_cancellable} otherwise. */
    SendOrder cancel(String orderId, String reason, String actor) throws LockerException;

    /**
     * The resident's drop-off at the kiosk with the send code: opens the reserved compartment. Wrong codes count
     * against the keypad (R9). Refused while the group's camera is offline ({@code camera_offline}).
     */
    SendOpenResult drop(String groupId, String sendCode, String keypadId) throws LockerException;

    /** The DROPPED orders of the signed-in courier's company at this group (its collection list). */
    List<SendOrder> collectionList(String groupId, String session) throws LockerException;

    /** The signed-in courier collects a DROPPED order of his company; COLLECTED when the door closes empty. */
    SendOpenResult collect(String groupId, String session, String orderId) throws LockerException;

    /** An order by id. */
    Optional<SendOrder> order(String orderId);

    /**
     * Orders, newest first.
     *
     * @param companyCode only this company's, or null for all
     * @param groupId only this group's, or null for all
     * @param states only these states, or empty for all
     */
    List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit);

    /** True while no {@code camera_offline} alarm is raised for the group (sending is allowed). */
    boolean cameraOk(String groupId);
}
