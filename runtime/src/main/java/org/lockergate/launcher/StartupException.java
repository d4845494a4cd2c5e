package org.lockergate.launcher;

/** A start that cannot go on; the message is what the operator reads (one line, naming the file, port or folder). */
class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartupException(String message) {
        this(message, 2);
    }

    StartupException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
