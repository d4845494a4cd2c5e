package org.lockergate.store;

/** The store cannot do what was asked (database unusable, disk full, I/O error); the message says which. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
