package org.lockergate.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the environment asks of this start: the distribution folder, the data folder, and the listeners, each set
 * by its {@code LOCKERGATE_*} variable (DESIGN.md §4 "Running it"). {@code 0} asks for an ephemeral port.
 */
record Settings(Path home, Path data, Path logs, boolean demo, int httpPort, int coapPort, int coapsPort,
        int opcuaPort, Integer shellPort, String gatewayId, String mqttUrl) {

    static final String HTTP_PORT = "LOCKERGATE_HTTP_PORT";
    static final String COAP_PORT = "LOCKERGATE_COAP_PORT";
    static final String COAPS_PORT = "LOCKERGATE_COAPS_PORT";
    static final String OPCUA_PORT = "LOCKERGATE_OPCUA_PORT";
    static final String SHELL_PORT = "LOCKERGATE_SHELL_PORT";
    static final String DATA = "LOCKERGATE_DATA";
    static final String GATEWAY_ID = "LOCKERGATE_GATEWAY_ID";
    static final String MQTT_URL = "LOCKERGATE_MQTT_URL";

    /** Reads the settings; throws {@link StartupException} naming the variable when a value is invalid. */
    static Settings from(Path home, Map<String, String> env, boolean demo) {
        Path data = path(home, env.get(DATA), "data");
        String mqtt = env.getOrDefault(MQTT_URL, "").trim();
        if (!mqtt.isEmpty() && !mqtt.matches("(tcp|ssl)://[^/:]+:\\d{1,5}")) {
            throw new StartupException(MQTT_URL + "=" + mqtt
                    + " 无效 / is invalid: expected tcp://host:port or ssl://host:port (empty turns cloud sync off)");
        }
        String shell = env.get(SHELL_PORT);
        return new Settings(home, data, home.resolve("logs"), demo,
                port(env, HTTP_PORT, 8080), port(env, COAP_PORT, 5683), port(env, COAPS_PORT, 5684),
                port(env, OPCUA_PORT, 4840),
                shell == null || shell.isBlank() ? null : port(env, SHELL_PORT, 0),
                env.getOrDefault(GATEWAY_ID, "").isBlank() ? null : env.get(GATEWAY_ID).trim(),
                mqtt);
    }

    private static Path path(Path home, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return home.resolve(fallback).toAbsolutePath().normalize();
        }
        return home.resolve(value.trim()).toAbsolutePath().normalize();
    }

    static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StartupException(variable + "=" + value
                    + " 无效 / is invalid: a port is a number from 0 to 65535 (0 = any free port)");
        }
    }
}
