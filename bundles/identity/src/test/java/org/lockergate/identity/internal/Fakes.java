package org.lockergate.identity.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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

    /**
     * ConfigAdmin in memory. Like Felix ConfigAdmin, {@link Configuration#getProperties()} hands out a copy with
     * {@code service.pid} (and {@code service.factoryPid}) in it, and {@code listConfigurations} answers
     * {@code null} when nothing matches. With {@link #restartOperatorsIn} it also plays SCR: each stored operator
     * configuration deactivates the previous {@link OperatorEntry} of its PID and activates a new one.
     */
    static final class ConfigAdmin implements ConfigurationAdmin {

        final Map<String, FakeConfiguration> configurations = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, OperatorEntry> entries = new HashMap<>();
        private int created;
        private OperatorDirectory directory;
        private Logger log;
        private Executor scr = Runnable::run;

        /**
         * Restarts operator components as SCR does on each update, through {@code scr}: {@code Runnable::run} for
         * at once (within {@code update}), another thread for later, or a no-op for never.
         */
        ConfigAdmin restartOperatorsIn(OperatorDirectory operators, Logger logger, Executor executor) {
            this.directory = operators;
            this.log = logger;
            this.scr = executor;
            return this;
        }

        /** A new operator configuration, stored as if created with {@code createFactoryConfiguration}. */
        FakeConfiguration addOperator(Map<String, Object> properties) throws IOException {
            FakeConfiguration configuration = createFactoryConfiguration(OperatorEntry.FACTORY_PID, "?");
            configuration.update(new Hashtable<>(properties));
            return configuration;
        }

        FakeConfiguration get(String pid) {
            return configurations.get(pid);
        }

        @Override
        public synchronized FakeConfiguration createFactoryConfiguration(String factoryPid, String location) {
            FakeConfiguration configuration = new FakeConfiguration(factoryPid + ".fake" + (++created), factoryPid);
            configurations.put(configuration.pid, configuration);
            return configuration;
        }

        @Override
        public FakeConfiguration createFactoryConfiguration(String factoryPid) {
            return createFactoryConfiguration(factoryPid, null);
        }

        @Override
        public synchronized Configuration getConfiguration(String pid, String location) {
            return configurations.computeIfAbsent(pid, key -> new FakeConfiguration(key, null));
        }

        @Override
        public Configuration getConfiguration(String pid) {
            return getConfiguration(pid, null);
        }

        @Override
        public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Configuration getFactoryConfiguration(String factoryPid, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
            Filter parsed = filter == null ? null : FrameworkUtil.createFilter(filter);
            List<Configuration> found = new ArrayList<>();
            synchronized (configurations) {
                for (FakeConfiguration configuration : configurations.values()) {
                    Dictionary<String, Object> properties = configuration.getProperties();
                    if (properties != null && (parsed == null || parsed.match(properties))) {
                        found.add(configuration);
                    }
                }
            }
            return found.isEmpty() ? null : found.toArray(new Configuration[0]);
        }

        private void updated(FakeConfiguration configuration) {
            if (directory != null && OperatorEntry.FACTORY_PID.equals(configuration.factoryPid)) {
                Dictionary<String, Object> properties = configuration.getProperties();
                scr.execute(() -> restart(configuration.pid, properties));
            }
        }

        private synchronized void restart(String pid, Dictionary<String, Object> properties) {
            OperatorEntry previous = entries.remove(pid);
            if (previous != null) {
                previous.deactivate();
            }
            Map<String, Object> map = new HashMap<>();
            for (String key : Collections.list(properties.keys())) {
                map.put(key, properties.get(key));
            }
            OperatorEntry entry = new OperatorEntry(directory, log);
            entry.activate(config(OperatorConfig.class, map), map);
            entries.put(pid, entry);
        }

        /** One configuration; {@link #updates} counts the calls to {@code update(Dictionary)}. */
        final class FakeConfiguration implements Configuration {

            final String pid;
            final String factoryPid;
            private Hashtable<String, Object> properties;
            volatile int updates;

            FakeConfiguration(String pid, String factoryPid) {
                this.pid = pid;
                this.factoryPid = factoryPid;
            }

            /** A property as stored, without going through {@link #getProperties()}. */
            synchronized Object stored(String key) {
                return properties == null ? null : properties.get(key);
            }

            @Override
            public String getPid() {
                return pid;
            }

            @Override
            public String getFactoryPid() {
                return factoryPid;
            }

            @Override
            public synchronized Dictionary<String, Object> getProperties() {
                if (properties == null) {
                    return null;
                }
                Hashtable<String, Object> copy = new Hashtable<>(properties);
                copy.put(Constants.SERVICE_PID, pid);
                if (factoryPid != null) {
                    copy.put(ConfigurationAdmin.SERVICE_FACTORYPID, factoryPid);
                }
                return copy;
            }

            @Override
            public void update(Dictionary<String, ?> values) {
                synchronized (this) {
                    Hashtable<String, Object> copy = new Hashtable<>();
                    for (String key : Collections.list(values.keys())) {
                        copy.put(key, values.get(key));
                    }
                    properties = copy;
                    updates++;
                }
                updated(this);
            }

            @Override
            public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
                return getProperties();
            }

            @Override
            public void delete() {
                configurations.remove(pid);
            }

            @Override
            public void update() {
                updated(this);
            }

            @Override
            public boolean updateIfDifferent(Dictionary<String, ?> values) {
                update(values);
                return true;
            }

            @Override
            public void setBundleLocation(String location) {}

            @Override
            public String getBundleLocation() {
                return "?";
            }

            @Override
            public long getChangeCount() {
                return updates;
            }

            @Override
            public void addAttributes(ConfigurationAttribute... attributes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Set<ConfigurationAttribute> getAttributes() {
                return Set.of();
            }

            @Override
            public void removeAttributes(ConfigurationAttribute... attributes) {
                throw new UnsupportedOperationException();
            }
        }
    }
}
