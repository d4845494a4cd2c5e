/**
 * Service provider interfaces: what vendor bundles, the rules bundle and notifiers implement.
 *
 * <ul>
 * <li>{@link org.lockergate.api.spi.CabinetDriver} — one per cabinet, implemented by a vendor bundle, attached
 * to the core through {@link org.lockergate.api.locker.CabinetHost}; each vendor bundle also registers a
 * {@link org.lockergate.api.spi.CabinetDriverFactory} with the service property {@code lockergate.vendor}.</li>
 * <li>{@link org.lockergate.api.spi.AllocationPolicy} and {@link org.lockergate.api.spi.FeePolicy} — the core has
 * built-in ones; a rules bundle replaces them by registering its own with a higher service ranking.</li>
 * <li>{@link org.lockergate.api.spi.Notifier} — tells the recipient the pickup code.</li>
 * <li>{@link org.lockergate.api.spi.FirmwareUpdater} — a vendor bundle puts a firmware image on a cabinet.</li>
 * </ul>
 */
@Export
@Version("1.2.0")
package org.lockergate.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
