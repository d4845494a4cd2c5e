package org.lockergate.store;

/**
 * How much room the store has (R22: new deposits are refused below the reserve, pickups go on).
 *
 * @param freeBytes usable space on the data folder's file system
 * @param reserveBytes the configured reserve (default 256 MB)
 * @param databaseBytes the database file's size
 */
public record StorageStatus(long freeBytes, long reserveBytes, long databaseBytes) {

    /** False when new data (deposits) must be refused. */
    public boolean acceptsNewData() {
        return freeBytes > reserveBytes;
    }
}
