package org.lockergate.upstream.mqtt;

/**
 * A command's reply.
 *
 * @param status 200, 400, 403, 404, 409 or 500 (DESIGN.md §4 MQTT)
 * @param body anything Jackson writes as JSON (maps, lists, records, strings, numbers), or {@code null} for {}
 */
public record CommandResult(int status, Object body) {

    public static CommandResult ok(Object body) {
        return new CommandResult(200, body);
    }
}
