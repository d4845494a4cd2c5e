package org.lockergate.api.locker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workflows behind a group's kiosk (screen and keypad), whatever the cabinet vendor. Every accepted step is
 * one durable transaction (acknowledged only after fsync) with its outbox event and audit row.
 *
 * <p>{@code keypadId} identifies the kiosk/keypad for the wrong-code lockout (R9); {@code null} means the group's
 * own kiosk.
 */
@ProviderType
public interface KioskService {

    /** Courier sign-in with id and PIN (R0, PINs throttled per courier id like the keypad rule). */
    CourierSession signIn(String groupId, String courierId, char[] pin) throws LockerException;

    /** Courier sign-in with a short-lived login token from his company's app. */
    CourierSession signInWithToken(String groupId, String token) throws LockerException;

    /**
     * Reserves a compartment, persists the reservation and opens the door; on a jam, marks that compartment FAULT
     * and tries the next. Errors: {@code no_session}, {@code no_consent}, {@code excluded}, {@code full} (with
     * {@code suggest}), {@code no_working_compartment}, {@code paused}, {@code storage_full}.
     */
    DepositResult deposit(String groupId, DepositRequest request) throws LockerException;

    /**
     * Checks the code (and the last 4 digits of the phone when given) and opens the door. Errors:
     * {@code wrong_code} ({@code attemptsLeft}), {@code locked} ({@code lockedUntil}), {@code payment_required}
     * ({@code feeFen}), {@code held}, {@code door_jammed}, {@code unavailable} (cabinet offline).
     */
    PickupResult pickup(String groupId, String code, String phoneLast4, String keypadId) throws LockerException;

    /** The recipient rejects the parcel while the pickup's door is open (R19). Error: {@code not_open}. */
    void reject(String groupId, String parcelId, String reason) throws LockerException;

    /**
     * A signed-in courier takes back a parcel of his company (R7, R19): {@code RECALL_DUE} or {@code HELD} becomes
     * {@code RECALLED}, {@code REJECTED} becomes {@code RETURNED}, when the door closes without the item (the
     * compartment is then FREE). Opens the door like a pickup (no fee). Errors: {@code no_session},
     * {@code not_found}, {@code forbidden} (another company's parcel), {@code not_withdrawable} ({@code state}),
     * {@code busy}, {@code door_jammed}, {@code unavailable} (cabinet offline).
     *
     * @since 1.1
     */
    PickupResult withdraw(String groupId, String session, String parcelId) throws LockerException;

    /**
     * The signed-in courier's company's recall and return list at this group: its parcels in {@code RECALL_DUE},
     * {@code HELD} or {@code REJECTED}, by door label. Error: {@code no_session}.
     *
     * @since 1.1
     */
    List<RecallEntry> recalls(String groupId, String session) throws LockerException;
}
