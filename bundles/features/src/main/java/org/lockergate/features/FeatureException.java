package org.lockergate.features;

/** A feature could not be read, installed or removed; the message names the feature, file or bundle at fault. */
public class FeatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public FeatureException(String message) {
        super(message);
    }

    public FeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
