/**
 * The gateway's durable store: H2 on disk under the data folder, versioned migrations, and the rule that
 * <b>acknowledged means fsynced</b>: {@link org.lockergate.store.LockerStore#write} returns only after its
 * transaction is committed and forced to disk (group commit: many transactions share one fsync).
 *
 * <p>Every state change is one {@code write}: the change, its outbox row ({@link org.lockergate.store.StoreTx#outbox})
 * and its audit row ({@link org.lockergate.store.StoreTx#audit}) commit together or not at all. The schema is in
 * {@code org/lockergate/store/migrations/V*.sql} inside this bundle.
 */
@Export
@Version("1.1.0")
package org.lockergate.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
