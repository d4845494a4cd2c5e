package org.lockergate.shell.internal;

import org.osgi.service.log.Logger;

/**
 * The few log levels the remote shell uses. In the framework it writes to the OSGi {@link Logger} that DS injects
 * (pax-logging); unit tests collect the lines to check the audit trail.
 */
interface ShellLog {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    static ShellLog of(Logger logger) {
        return new ShellLog() {
            @Override
            public void debug(String message) {
                logger.debug(message);
            }

            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message) {
                logger.warn(message);
            }

            @Override
            public void error(String message) {
                logger.error(message);
            }
        };
    }
}
