/**
 * The locker domain as immutable values: cabinet groups with their registry data (R21), cabinets,
 * compartments with their size class and state, parcels and their states, send orders (reserved), courier
 * companies and couriers, consent, fees, alarms and outbox events (DESIGN.md §2).
 *
 * <p>Numbering: a compartment is known by its door label, unique within its group; boards and channels are
 * numbered from 1 for people. Money is in integer fen, never floating point.
 */
@Export
@Version("1.1.0")
package org.lockergate.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
