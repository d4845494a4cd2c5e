package org.lockergate.launcher;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.osgi.framework.Bundle;

/**
 * The launcher's own lines, on standard output in the same layout as the log files (the launcher runs before and
 * after the logging bundles, so it cannot rely on them). systemd's journal keeps them.
 */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private Log() {
    }

    static void info(String message) {
        line("INFO ", message);
    }

    static void warn(String message) {
        line("WARN ", message);
    }

    static void error(String message) {
        line("ERROR", message);
    }

    /** Once pax-logging bridges java.util.logging, launcher lines go to the log files and console through it. */
    private static volatile boolean routed;

    static void routeThroughLogging() {
        routed = true;
    }

    /** Back to standard output: the logging bundles are about to stop. */
    static void routeToConsole() {
        routed = false;
    }

    private static synchronized void line(String level, String message) {
        if (routed) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("org.lockergate.launcher");
            jul.log(switch (level.trim()) {
                case "ERROR" -> java.util.logging.Level.SEVERE;
                case "WARN" -> java.util.logging.Level.WARNING;
                default -> java.util.logging.Level.INFO;
            }, message);
            return;
        }
        System.out.println(TIME.format(LocalDateTime.now()) + " " + level + " [launcher] " + message);
        System.out.flush();
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
