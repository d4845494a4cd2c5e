package org.lockergate.management;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the steps of a long operation, for a shell, a console page or MQTT progress events. */
@ConsumerType
@FunctionalInterface
public interface Progress {

    /** The steps of an install or update, in order; one of DONE, ROLLED_BACK, FAILED ends it. */
    enum Stage {
        DOWNLOADING, VERIFYING, INSTALLING, CHECKING, DONE, ROLLED_BACK, FAILED
    }

    /** A progress listener that ignores everything. */
    Progress NONE = (stage, percent, message) -> {
    };

    /**
     * @param stage the current step
     * @param percent 0–100 within the step (download percentage), -1 when unknown
     * @param message what happened, in words an operator understands (zh-CN / English)
     */
    void report(Stage stage, int percent, String message);
}
