package org.lockergate.management;

import java.time.Instant;

/**
 * One saved configuration snapshot.
 *
 * @param id the snapshot's id, e.g. {@code 20261129T010203Z-1}
 * @param createdAt when it was taken
 * @param actor who caused it
 * @param reason why (e.g. {@code before import: new fee rule})
 * @param configurations how many configurations it holds
 */
public record SnapshotInfo(String id, Instant createdAt, String actor, String reason, int configurations) {
}
