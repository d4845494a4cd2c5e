package org.lockergate.identity.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockergate.identity.Role;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * First start: when nobody can administer the gateway, creates user {@code admin} with a random password and leaves
 * that password in an owner-only file under the data folder. Never in demo mode, and only once: an existing file
 * means an administrator was already set up.
 */
@Component(service = {}, immediate = true)
public class InitialAdmin {

    static final String DEMO_PROPERTY = "lockergate.demo";
    static final String DATA_PROPERTY = "lockergate.data";
    static final String USERNAME = "admin";
    static final int PASSWORD_LENGTH = 20;
    /** Configuration files are loaded into ConfigAdmin during the first seconds of a start: let them arrive. */
    static final long DELAY_SECONDS = 5;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** Stores the admin's configuration (ConfigAdmin in the framework, a fake in tests). */
    interface AccountWriter {
        void create(Dictionary<String, Object> properties) throws IOException;
    }

    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private ScheduledExecutorService timer;

    @Activate
    public InitialAdmin(@Reference(name = "configAdmin") ConfigurationAdmin configAdmin,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this.configAdmin = configAdmin;
        this.log = log;
    }

    @Activate
    void activate(BundleContext context) {
        boolean demo = Boolean.parseBoolean(context.getProperty(DEMO_PROPERTY));
        Path dataDir = dataDir(context.getProperty(DATA_PROPERTY));
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lockergate-initial-admin");
            thread.setDaemon(true);
            return thread;
        });
        timer.schedule(() -> check(demo, dataDir), DELAY_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void check(boolean demo, Path dataDir) {
        try {
            boolean adminConfigured = adminConfigured();
            Optional<Path> created = bootstrap(demo, adminConfigured, dataDir, new PasswordHasher(), properties -> {
                Configuration configuration = configAdmin.createFactoryConfiguration(OperatorEntry.FACTORY_PID, "?");
                configuration.update(properties);
            });
            if (created.isPresent()) {
                log.warn("已创建管理员账号 admin，初始密码保存在 {} ，请登录后立即修改密码（修改成功后该文件会被自动删除）。 / "
                        + "Created user admin; its initial password is in {} - log in and change the password at "
                        + "once (POST /api/v1/auth/password or identity:passwd); that file is deleted then.",
                        created.get(), created.get());
            } else if (!demo && !adminConfigured) {
                log.warn("No operator has the admin role, and {} exists, so no new admin was created. Configure one "
                        + "(factory PID {}) or delete that file and restart.", passwordFile(dataDir),
                        OperatorEntry.FACTORY_PID);
            }
        } catch (Exception e) {
            log.error("Could not create the initial admin user in {}", dataDir.toAbsolutePath(), e);
        }
    }

    /**
     * Reads ConfigAdmin rather than the active operators, so that an admin configuration that is invalid or not yet
     * active also counts: its owner gets an error to fix, not a second admin beside it.
     */
    private boolean adminConfigured() throws Exception {
        Configuration[] configurations =
                configAdmin.listConfigurations("(service.factoryPid=" + OperatorEntry.FACTORY_PID + ")");
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            Dictionary<String, Object> properties = configuration.getProperties();
            Object roles = properties == null ? null : properties.get("roles");
            String[] ids = roles instanceof String[] array ? array : String.valueOf(roles).split(",");
            if (Arrays.stream(ids).anyMatch(id -> Role.fromId(id).orElse(null) == Role.ADMIN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates the initial admin when needed: writes the password file, then the configuration.
     *
     * @return the password file when an admin was created
     */
    static Optional<Path> bootstrap(boolean demo, boolean adminConfigured, Path dataDir, PasswordHasher hasher,
            AccountWriter writer) throws IOException {
        Path file = passwordFile(dataDir);
        if (demo || adminConfigured || Files.exists(file)) {
            return Optional.empty();
        }
        char[] password = randomPassword(new SecureRandom());
        try {
            writeOwnerOnly(file, password);
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("username", USERNAME);
            properties.put("passwordHash", hasher.hash(password));
            properties.put("roles", new String[] {Role.ADMIN.id()});
            try {
                writer.create(properties);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file); // no admin was created: let the next start try again
                throw e;
            }
            return Optional.of(file.toAbsolutePath());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The data folder: framework property {@value #DATA_PROPERTY}, {@code ./data} when it is not set. */
    static Path dataDir(String property) {
        return Path.of(property == null || property.isBlank() ? "./data" : property);
    }

    static Path passwordFile(Path dataDir) {
        return dataDir.resolve("secrets").resolve("initial-admin-password");
    }

    static char[] randomPassword(SecureRandom random) {
        char[] password = new char[PASSWORD_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }

    /** Owner-only from the first byte: the file is born rw------- in an rwx------ folder, then moved into place. */
    private static void writeOwnerOnly(Path file, char[] password) throws IOException {
        Path folder = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(folder.getParent());
        if (posix) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            Files.setPosixFilePermissions(folder, OWNER_ONLY_DIRECTORY); // also when it existed before
        } else {
            Files.createDirectories(folder);
        }
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(folder, "initial-admin-password", ".tmp", attributes);
        byte[] bytes = new byte[password.length + 1];
        for (int i = 0; i < password.length; i++) {
            bytes[i] = (byte) password[i]; // letters and digits only: ASCII
        }
        bytes[password.length] = '\n';
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }
}
