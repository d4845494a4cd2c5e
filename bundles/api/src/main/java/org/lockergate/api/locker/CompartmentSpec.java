package org.lockergate.api.locker;

import org.lockergate.api.model.SizeClass;

/**
 * One compartment as a cabinet describes it.
 *
 * @param label door label, unique in the group
 * @param size size class
 * @param board lock board, from 1
 * @param channel channel on the board, from 1
 */
public record CompartmentSpec(String label, SizeClass size, int board, int channel) {
}
