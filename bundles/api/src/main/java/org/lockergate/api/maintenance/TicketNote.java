package org.lockergate.api.maintenance;

import java.time.Instant;

/**
 * One entry of a ticket's work log.
 *
 * @param at when it was written (gateway clock)
 * @param by who wrote it ({@code operator:NAME} or {@code system})
 * @param text what was done or found
 */
public record TicketNote(Instant at, String by, String text) {
}
