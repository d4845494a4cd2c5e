package org.lockergate.shell.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import org.apache.felix.service.command.CommandProcessor;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.ShellSessions;
import org.lockergate.identity.Role;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The remote shell: Gogo commands over TCP for operators who log in through the {@link IdentityService}. Off unless
 * a port is configured or the launcher sets the framework property {@value #PORT_PROPERTY} (from
 * {@code LOCKERGATE_SHELL_PORT}). While listening, a {@link RemoteShellEndpoint} service carries the bound port.
 */
@Component(configurationPid = RemoteShell.PID, immediate = true, service = {})
@Designate(ocd = RemoteShell.Config.class)
public class RemoteShell {

    static final String PID = "org.lockergate.shell.remote";

    /** Framework property the launcher sets from {@code LOCKERGATE_SHELL_PORT}; {@code 0} = ephemeral port. */
    static final String PORT_PROPERTY = "lockergate.shell.port";

    @ObjectClassDefinition(
            id = PID,
            name = "LockerGate 远程 shell / remote shell",
            description = "Gogo commands over TCP for operators with an allowed role. No TLS: keep it on loopback and"
                    + " reach it through SSH port forwarding.")
    public @interface Config {

        @AttributeDefinition(
                name = "Port",
                description = "TCP port; 0 = an ephemeral port (logged); -1 = the framework property"
                        + " lockergate.shell.port (from LOCKERGATE_SHELL_PORT), and the shell is off when that is"
                        + " not set either.",
                min = "-1",
                max = "65535")
        int port() default -1;

        @AttributeDefinition(
                name = "Bind address",
                description = "Local address to listen on. Anything but loopback sends passwords in clear text.")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(name = "Maximum sessions", description = "Sessions at once; more are told busy.",
                min = "1")
        int maxSessions() default 4;

        @AttributeDefinition(name = "Idle timeout (minutes)",
                description = "A session with no input for this long is closed. The login prompts wait at most"
                        + " 1 minute.",
                min = "1")
        int idleTimeoutMinutes() default 15;

        @AttributeDefinition(
                name = "Allowed roles",
                description = "Roles that may log in. An admin always may.",
                options = {
                    @Option(label = "Administrator", value = "admin"),
                    @Option(label = "Technician", value = "technician"),
                    @Option(label = "Property staff", value = "property"),
                    @Option(label = "Courier-company viewer", value = "courier-company")
                })
        String[] allowedRoles() default {"admin", "technician"};
    }

    @Reference
    private CommandProcessor processor;

    @Reference
    private IdentityService identity;

    @Reference
    private ShellSessions shellSessions;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private ShellServer server;
    private ServiceRegistration<RemoteShellEndpoint> registration;

    @Activate
    void activate(Config config, BundleContext context) {
        ShellLog log = ShellLog.of(logger);
        Optional<ShellSettings> settings = settings(config, context.getProperty(PORT_PROPERTY), log);
        if (settings.isEmpty()) {
            return;
        }
        ShellServer started = new ShellServer(processor, identity, shellSessions, settings.get(), log);
        try {
            started.start();
        } catch (IOException e) {
            return; // start() logged the one ERROR line; the gateway runs on without a remote shell
        }
        server = started;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(RemoteShellEndpoint.PORT_PROPERTY, started.port());
        properties.put(RemoteShellEndpoint.ADDRESS_PROPERTY, started.address().getAddress().getHostAddress());
        registration = context.registerService(RemoteShellEndpoint.class, started, properties);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * The settings to run with, or empty when the shell stays off (logged: INFO when no port is set, ERROR when a
     * value is unusable).
     */
    static Optional<ShellSettings> settings(Config config, String frameworkPort, ShellLog log) {
        Optional<Integer> port = port(config.port(), frameworkPort, log);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        int maxSessions = config.maxSessions();
        if (maxSessions < 1) {
            log.warn("Remote shell: maxSessions " + maxSessions + " is not allowed, using 1");
            maxSessions = 1;
        }
        int idleMinutes = config.idleTimeoutMinutes();
        if (idleMinutes < 1) {
            log.warn("Remote shell: idleTimeoutMinutes " + idleMinutes + " is not allowed, using 1");
            idleMinutes = 1;
        }
        String bindAddress = config.bindAddress() == null || config.bindAddress().isBlank()
                ? "127.0.0.1"
                : config.bindAddress().strip();
        return Optional.of(new ShellSettings(bindAddress, port.get(), maxSessions, Duration.ofMinutes(idleMinutes),
                roles(config.allowedRoles(), log), ShellSettings.DEFAULT_LOGIN_ATTEMPTS));
    }

    private static Optional<Integer> port(int configured, String frameworkPort, ShellLog log) {
        if (configured >= 0) {
            if (configured > 65535) {
                log.error("Remote shell off: configured port " + configured + " is not a TCP port (0-65535)");
                return Optional.empty();
            }
            return Optional.of(configured);
        }
        if (configured != -1) {
            log.error("Remote shell off: configured port " + configured + " is not a TCP port (0-65535, or -1)");
            return Optional.empty();
        }
        if (frameworkPort == null || frameworkPort.isBlank()) {
            log.info("Remote shell is off (set LOCKERGATE_SHELL_PORT to turn it on)");
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(frameworkPort.strip());
            if (port >= 0 && port <= 65535) {
                return Optional.of(port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        log.error("Remote shell off: " + PORT_PROPERTY + " (LOCKERGATE_SHELL_PORT) '" + Messages.forLog(frameworkPort)
                + "' is not a TCP port (0-65535)");
        return Optional.empty();
    }

    private static Set<Role> roles(String[] ids, ShellLog log) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String id : ids == null ? new String[0] : ids) {
            Optional<Role> role = Role.fromId(id);
            if (role.isPresent()) {
                roles.add(role.get());
            } else {
                log.warn("Remote shell: ignoring unknown role '" + Messages.forLog(String.valueOf(id))
                        + "' in allowedRoles");
            }
        }
        if (roles.isEmpty()) {
            log.warn("Remote shell: no usable role in allowedRoles, only admins can log in");
        }
        return roles;
    }
}
