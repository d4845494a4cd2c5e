package org.lockergate.api.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance ticket: a fault on a group, cabinet or compartment that someone must repair.
 *
 * @param ticketId gateway-assigned id
 * @param state where it is in its life
 * @param fault what is wrong: the R14 alarm's wire name ({@code door_jammed} …) or a staff-chosen word
 * @param alarmId the alarm that opened it, {@code null} when staff opened it
 * @param groupId group concerned
 * @param cabinetId cabinet concerned, or {@code null}
 * @param compartment door label concerned, or {@code null}
 * @param vendor the cabinet's vendor when known (for the mean time to repair per vendor)
 * @param description what happened, for people
 * @param occurrences how often the fault was raised while this ticket was not closed (1 at first)
 * @param openedAt since when
 * @param openedBy {@code system} for an alarm, else the operator
 * @param takenAt when someone took it, or {@code null}
 * @param takenBy who works it, or {@code null}
 * @param closedAt when closed, or {@code null}
 * @param closedBy who closed it, or {@code null}
 * @param resolution what was done, given on closing
 * @param notes the work log, oldest first
 */
public record Ticket(long ticketId, TicketState state, String fault, Long alarmId, String groupId, String cabinetId,
        String compartment, String vendor, String description, int occurrences, Instant openedAt, String openedBy,
        Instant takenAt, String takenBy, Instant closedAt, String closedBy, String resolution, List<TicketNote> notes) {

    public Ticket {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(openedAt, "openedAt");
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Time from opening to closing, {@code null} while not closed. */
    public Duration repairTime() {
        return closedAt == null ? null : Duration.between(openedAt, closedAt);
    }
}
