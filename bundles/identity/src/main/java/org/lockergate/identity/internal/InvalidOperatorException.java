package org.lockergate.identity.internal;

/** An operator configuration that cannot be used; the message says precisely why, and never holds a secret. */
final class InvalidOperatorException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidOperatorException(String problem) {
        super(problem);
    }
}
