package org.lockergate.upstream.mqtt;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A verified cloud command.
 *
 * @param name the command, from the topic {@code cmd/{name}}
 * @param requestId the cloud's unique id; the reply goes to {@code reply/{requestId}}
 * @param issuedAt when the cloud signed it
 * @param expiresAt after this it is refused
 * @param keyId the {@code kid} of the key that verified the signature
 * @param algorithm {@code Ed25519} or {@code HS256}
 * @param args the command's {@code args} object as JSON-friendly values (String, Number, Boolean, List, Map, null);
 *     empty when absent
 */
public record CloudCommand(String name, String requestId, Instant issuedAt, Instant expiresAt, String keyId,
        String algorithm, Map<String, Object> args) {

    public CloudCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requestId, "requestId");
        args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    /** A string argument that must be present and not blank, or 400 {@code bad_args}. */
    public String requiredString(String arg) throws CommandException {
        Object value = args.get(arg);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new CommandException(400, "bad_args", "缺少参数 " + arg + " / Missing argument " + arg,
                    Map.of("arg", arg));
        }
        return s.strip();
    }

    /** A string argument, or {@code fallback} when absent or not a string. */
    public String optionalString(String arg, String fallback) {
        return args.get(arg) instanceof String s && !s.isBlank() ? s.strip() : fallback;
    }
}
