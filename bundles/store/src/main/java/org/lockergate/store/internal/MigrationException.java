package org.lockergate.store.internal;

/** The schema cannot be brought to this bundle's version; the message tells the operator what to do. */
final class MigrationException extends Exception {

    private static final long serialVersionUID = 1L;

    MigrationException(String message) {
        super(message);
    }

    MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
