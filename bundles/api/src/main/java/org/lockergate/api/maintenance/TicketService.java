package org.lockergate.api.maintenance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.LockerException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Maintenance tickets. The core opens one when a fault alarm (R14: {@code door_jammed}, {@code forced_open},
 * {@code board_offline}, {@code cabinet_offline}, {@code item_left} …) is raised, in the alarm's own transaction; a
 * fault raised again while its ticket is not closed counts on that ticket instead of opening another. Every change
 * is one durable transaction with its outbox event ({@code ticket.opened}, {@code ticket.taken}, {@code ticket.noted},
 * {@code ticket.closed}) and an audit row with the user. Who may act is checked by the calling surface.
 */
@ProviderType
public interface TicketService {

    /**
     * Opens a ticket by hand (a fault staff found). Answers the open ticket of the same fault and subject when there
     * is one.
     *
     * @param actor e.g. {@code operator:alice}
     * @throws LockerException {@code bad_request} without a fault or group, {@code not_found} for an unknown group
     */
    Ticket open(String fault, String groupId, String cabinetId, String compartment, String description, String actor)
            throws LockerException;

    /**
     * Tickets, newest first.
     *
     * @param states wanted states, empty for all
     * @param groupId one group, or {@code null} for all
     */
    List<Ticket> tickets(List<TicketState> states, String groupId, int limit);

    Optional<Ticket> ticket(long ticketId);

    /** Takes (or hands over) a ticket; {@code conflict} once closed. */
    Ticket take(long ticketId, String actor) throws LockerException;

    /** Adds a note to the work log; {@code conflict} once closed. */
    Ticket note(long ticketId, String actor, String text) throws LockerException;

    /**
     * Closes a ticket.
     *
     * @param enableCompartment also put its DISABLED or FAULT compartment back into service (through the
     *        maintenance service, audited with the same user) before closing
     * @throws LockerException {@code conflict} when already closed; {@code bad_request} without a resolution
     */
    Ticket close(long ticketId, String actor, String resolution, boolean enableCompartment) throws LockerException;

    /** Mean time to repair per vendor of the tickets closed in {@code [from, to)}. */
    List<RepairTime> repairTimesByVendor(Instant from, Instant to);

    /** Mean time to repair per group of the tickets closed in {@code [from, to)}. */
    List<RepairTime> repairTimesByGroup(Instant from, Instant to);
}
