package org.lockergate.upstream.mqtt.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code config.get}: the component configurations in ConfigAdmin (optional arg {@code pid}: one PID or factory
 * PID), with anything that looks like a secret removed — by name (password, secret, token, key, psk, credential,
 * salt, pin, hmac, private, cookie, session) or by value (PEM blocks, long base64/hex strings). Removed names are
 * listed under {@code redacted}; their values never leave the gateway. Secrets live in files anyway (DESIGN.md §3).
 */
@Component(service = CommandHandler.class, property = CommandHandler.COMMAND + "=config.get")
public class ConfigGetCommand implements CommandHandler {

    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(pass|secret|token|key|psk|credential|salt|pin|hmac|private|cookie|session|auth|cert).*");
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?s).*-----BEGIN [A-Z ]+-----.*|[A-Za-z0-9+/_-]{32,}={0,2}|(?i)[0-9a-f]{32,}");
    /** Framework-managed keys that are no configuration. */
    private static final List<String> SKIPPED = List.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename", ":org.apache.felix.configadmin.revision:");

    private final ConfigurationAdmin configAdmin;

    @Activate
    public ConfigGetCommand(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String pid = command.optionalString("pid", null);
        String filter = pid == null ? null
                : "(|(service.pid=" + escape(pid) + ")(service.factoryPid=" + escape(pid) + "))";
        Configuration[] configs = configAdmin.listConfigurations(filter);
        List<Map<String, Object>> out = new ArrayList<>();
        if (configs != null) {
            Map<String, Configuration> sorted = new TreeMap<>();
            for (Configuration c : configs) {
                sorted.put(c.getPid(), c);
            }
            for (Configuration c : sorted.values()) {
                out.add(view(c.getPid(), c.getFactoryPid(), c.getProperties()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configurations", out);
        return CommandResult.ok(body);
    }

    static Map<String, Object> view(String pid, String factoryPid, Dictionary<String, Object> properties) {
        Map<String, Object> values = new TreeMap<>();
        List<String> redacted = new ArrayList<>();
        if (properties != null) {
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (SKIPPED.contains(key)) {
                    continue;
                }
                Object value = properties.get(key);
                if (secret(key, value)) {
                    redacted.add(key);
                } else {
                    values.put(key, plain(value));
                }
            }
        }
        redacted.sort(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pid", pid);
        if (factoryPid != null) {
            out.put("factoryPid", factoryPid);
        }
        out.put("properties", values);
        out.put("redacted", redacted);
        return out;
    }

    static boolean secret(String key, Object value) {
        String name = key.toLowerCase(Locale.ROOT);
        // "…File" names hold a path to a secret file, not the secret: the path may be shown.
        if (SECRET_NAME.matcher(name).matches() && !name.endsWith("file") && !name.endsWith("path")
                && !name.endsWith("id")) {
            return true;
        }
        if (value == null) {
            return false;
        }
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                if (secretValue(Array.get(value, i))) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Iterable<?> it) {
            for (Object o : it) {
                if (secretValue(o)) {
                    return true;
                }
            }
            return false;
        }
        return secretValue(value);
    }

    private static boolean secretValue(Object value) {
        return value instanceof String s && SECRET_VALUE.matcher(s.strip()).matches();
    }

    private static Object plain(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(plain(Array.get(value, i)));
            }
            return list;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value == null) {
            return value;
        }
        if (value instanceof Iterable<?> it) {
            List<Object> list = new ArrayList<>();
            it.forEach(o -> list.add(plain(o)));
            return list;
        }
        return String.valueOf(value);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
