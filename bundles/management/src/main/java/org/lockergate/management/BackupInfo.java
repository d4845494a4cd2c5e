package org.lockergate.management;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A backup of the gateway's data folder, written while the gateway runs.
 *
 * @param file the zip written under {@code data/backups/} (owner-only: it holds the secrets)
 * @param createdAt when
 * @param bytes its size
 * @param entries how many files it holds
 * @param sha256 the zip's SHA-256, to check a copy taken off the box
 */
public record BackupInfo(Path file, Instant createdAt, long bytes, int entries, String sha256) {
}
