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

    /**
     * The EventAdmin topic on which the management service also posts every step of every operation, whoever asked
     * for it (shell, REST, MQTT), so that the console can show it live. Properties: {@code operation}
     * ({@code bundle.install}, {@code bundle.update}, {@code bundle.rollback}, {@code feature.install}),
     * {@code target}, {@code stage} (a {@link Stage} name), {@code percent}, {@code message}, {@code actor}.
     *
     * @since 1.1
     */
    String TOPIC = "org/lockergate/management/PROGRESS";

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
