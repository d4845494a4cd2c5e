package org.lockergate.identity.internal;

import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.log.Logger;

/** Small stand-ins for what the framework provides. */
final class Fakes {

    private Fakes() {}

    /** Argon2id with tiny costs, so that tests needing dozens of logins stay fast. */
    static PasswordHasher fastHasher() {
        return new PasswordHasher(new SecureRandom(), 64, 1, 1);
    }

    /** An OSGi Logger that keeps each line as "LEVEL message" with the {} placeholders filled in. */
    static final class RecordingLogger {
        final List<String> lines = new ArrayList<>();
        final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (Set.of("trace", "debug", "info", "warn", "error", "audit").contains(name)) {
                        lines.add(name.toUpperCase() + " " + format(args));
                        return null;
                    }
                    return switch (name) {
                        case "getName" -> "test";
                        case "toString" -> "RecordingLogger";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> method.getReturnType() == boolean.class ? true : null;
                    };
                });

        private static String format(Object[] args) {
            String message = String.valueOf(args[0]);
            if (args.length == 2 && args[1] instanceof Object[] varargs) {
                args = new Object[varargs.length + 1];
                args[0] = message;
                System.arraycopy(varargs, 0, args, 1, varargs.length);
            }
            for (int i = 1; i < args.length; i++) {
                int at = message.indexOf("{}");
                if (at < 0) {
                    break;
                }
                message = message.substring(0, at) + args[i] + message.substring(at + 2);
            }
            return message;
        }
    }

    /** A typed configuration (an annotation instance) backed by a map, as DS would build it. */
    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "config" + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
