package org.lockergate.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.lockergate.management.Change;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.lockergate.management.SnapshotInfo;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The gateway's configuration as one JSON document, and the last N snapshots of it under {@code data/}.
 *
 * <p>Scope: every ConfigAdmin configuration whose PID (or factory PID) starts with one of the configured prefixes
 * ({@code org.lockergate.} by default). A configuration that fileinstall loaded from a file is changed by rewriting
 * that file (see {@link ConfigFileFormat}); the others are changed in ConfigAdmin directly. A document is checked as
 * a whole before anything changes: a malformed one, or one from a newer gateway, changes nothing.
 */
final class ConfigSnapshots {

    static final int FORMAT = 1;
    static final String FILENAME = "felix.fileinstall.filename";
    private static final List<String> NOT_COPIED = List.of("service.pid", "service.factoryPid",
            "service.bundleLocation", FILENAME);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ConfigurationAdmin configAdmin;
    private final Path folder;
    private final List<String> scope;
    private final List<Path> watchedFolders;
    private final Version gatewayVersion;
    private final int kept;
    private final Supplier<Instant> clock;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final AtomicInteger sequence = new AtomicInteger();

    ConfigSnapshots(ConfigurationAdmin configAdmin, Path folder, List<String> scope, List<Path> watchedFolders,
            Version gatewayVersion, int kept, Supplier<Instant> clock) {
        this.configAdmin = configAdmin;
        this.folder = folder;
        this.scope = List.copyOf(scope);
        this.watchedFolders = watchedFolders.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.gatewayVersion = gatewayVersion;
        this.kept = kept;
        this.clock = clock;
    }

    /** One configuration of a document. */
    record Entry(String pid, String factoryPid, String file, Map<String, Object> properties) {
    }

    // ---- export

    String export(Change change, String reason) throws ManagementException {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("gatewayVersion", gatewayVersion.toString());
        doc.put("createdAt", clock.get().toString());
        doc.put("actor", change.actor());
        doc.put("reason", reason);
        ArrayNode list = doc.putArray("configurations");
        for (Entry entry : current()) {
            ObjectNode c = list.addObject();
            c.put("pid", entry.pid());
            if (entry.factoryPid() != null) {
                c.put("factoryPid", entry.factoryPid());
            }
            if (entry.file() != null) {
                c.put("file", entry.file());
            }
            ObjectNode props = c.putObject("properties");
            entry.properties().forEach((k, v) -> props.set(k, TypedValues.toJson(v)));
        }
        try {
            return mapper.writeValueAsString(doc);
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "config.export", "导出失败 / Export failed: " + e.getMessage());
        }
    }

    List<Entry> current() throws ManagementException {
        List<Entry> entries = new ArrayList<>();
        Configuration[] all;
        try {
            all = configAdmin.listConfigurations(null);
        } catch (IOException | InvalidSyntaxException e) {
            throw new ManagementException(Kind.FAILED, "config.read", "读取配置失败 / Cannot read configuration: " + e);
        }
        if (all == null) {
            return entries;
        }
        for (Configuration c : all) {
            if (!inScope(c.getPid()) && !(c.getFactoryPid() != null && inScope(c.getFactoryPid()))) {
                continue;
            }
            Dictionary<String, Object> props = c.getProperties();
            if (props == null) {
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            String file = null;
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (key.equals(FILENAME)) {
                    file = fileName(String.valueOf(props.get(key)));
                } else if (!NOT_COPIED.contains(key)) {
                    copy.put(key, props.get(key));
                }
            }
            entries.add(new Entry(c.getPid(), c.getFactoryPid(), file, new java.util.TreeMap<>(copy)));
        }
        entries.sort((a, b) -> a.pid().compareTo(b.pid()));
        return entries;
    }

    private boolean inScope(String pid) {
        return scope.stream().anyMatch(pid::startsWith);
    }

    /** The file's path as written into snapshots: absolute, normalised. */
    private static String fileName(String fileinstallValue) {
        try {
            return Path.of(URI.create(fileinstallValue)).toAbsolutePath().normalize().toString();
        } catch (IllegalArgumentException e) {
            return Path.of(fileinstallValue).toAbsolutePath().normalize().toString();
        }
    }

    // ---- parse and check

    List<Entry> parse(String json) throws ManagementException {
        JsonNode doc;
        try {
            doc = mapper.readTree(json);
        } catch (IOException e) {
            throw bad("config.malformed", "不是有效的 JSON / Not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (doc == null || !doc.isObject()) {
            throw bad("config.malformed", "配置文档必须是 JSON 对象 / The configuration document must be a JSON object");
        }
        if (!doc.path("format").isInt()) {
            throw bad("config.malformed", "缺少 format 字段 / Missing field 'format'");
        }
        int format = doc.get("format").intValue();
        if (format > FORMAT) {
            throw new ManagementException(Kind.CONFLICT, "config.newer_format", "配置文档格式较新 / The document has format "
                    + format + "; this gateway reads up to " + FORMAT + " — update the gateway first");
        }
        String version = doc.path("gatewayVersion").asText("");
        try {
            Version parsed = Version.parseVersion(version.replace("-SNAPSHOT", ""));
            // the qualifier is a build stamp: only major.minor.micro say which format a gateway writes
            Version theirs = new Version(parsed.getMajor(), parsed.getMinor(), parsed.getMicro());
            Version ours = new Version(gatewayVersion.getMajor(), gatewayVersion.getMinor(), gatewayVersion.getMicro());
            if (theirs.compareTo(ours) > 0) {
                throw new ManagementException(Kind.CONFLICT, "config.newer_gateway", "配置来自较新的网关版本 / The document "
                        + "comes from gateway " + version + ", newer than this gateway " + gatewayVersion
                        + " — update the gateway first");
            }
        } catch (IllegalArgumentException e) {
            throw bad("config.malformed", "gatewayVersion 无效 / Invalid field 'gatewayVersion': " + version);
        }
        JsonNode list = doc.get("configurations");
        if (list == null || !list.isArray()) {
            throw bad("config.malformed", "缺少 configurations 数组 / Missing array 'configurations'");
        }
        List<Entry> entries = new ArrayList<>();
        java.util.Set<String> pids = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode c : list) {
            String where = "configurations[" + i++ + "]";
            String pid = c.path("pid").asText(null);
            if (pid == null || pid.isBlank()) {
                throw bad("config.malformed", "缺少 pid / " + where + ": missing 'pid'");
            }
            if (!pids.add(pid)) {
                throw bad("config.malformed", "pid 重复 / " + where + ": duplicate pid " + pid);
            }
            String factoryPid = c.hasNonNull("factoryPid") ? c.get("factoryPid").asText() : null;
            if (!inScope(pid) && !(factoryPid != null && inScope(factoryPid))) {
                throw bad("config.scope", "超出管理范围 / " + where + ": pid " + pid + " is outside the managed scope "
                        + scope);
            }
            String file = c.hasNonNull("file") ? c.get("file").asText() : null;
            if (file != null) {
                checkFile(where, file);
            }
            JsonNode props = c.get("properties");
            if (props == null || !props.isObject()) {
                throw bad("config.malformed", "缺少 properties / " + where + ": missing object 'properties'");
            }
            Map<String, Object> values = new java.util.TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> p = it.next();
                if (NOT_COPIED.contains(p.getKey())) {
                    continue;
                }
                try {
                    values.put(p.getKey(), TypedValues.fromJson(p.getKey(), p.getValue()));
                } catch (IllegalArgumentException e) {
                    throw bad("config.malformed", "配置值无效 / " + where + " (" + pid + "): " + e.getMessage());
                }
            }
            entries.add(new Entry(pid, factoryPid, file, values));
        }
        return entries;
    }

    /** A file must lie directly in one of the folders fileinstall watches, and be a {@code .config} file. */
    private void checkFile(String where, String file) throws ManagementException {
        Path path = Path.of(file).toAbsolutePath().normalize();
        boolean inside = path.getParent() != null && watchedFolders.contains(path.getParent());
        if (!inside || !(path.getFileName().toString().endsWith(".config") || path.getFileName().toString()
                .endsWith(".cfg"))) {
            throw bad("config.file", "配置文件位置无效 / " + where + ": file " + file
                    + " is not a .config file in a watched configuration folder " + watchedFolders);
        }
    }

    // ---- apply

    /** Applies a checked document; returns how many configurations changed. */
    int apply(List<Entry> wanted) throws ManagementException {
        Map<String, Entry> now = new LinkedHashMap<>();
        for (Entry e : current()) {
            now.put(e.pid(), e);
        }
        int changed = 0;
        List<Entry> viaFiles = new ArrayList<>();
        try {
            for (Entry w : wanted) {
                Entry have = now.remove(w.pid());
                if (have != null && sameProperties(have.properties(), w.properties())) {
                    continue;
                }
                changed++;
                String file = have != null && have.file() != null ? have.file() : w.file();
                if (file != null) {
                    writeFile(Path.of(file), w.properties());
                    viaFiles.add(w);
                } else if (have != null) {
                    configAdmin.getConfiguration(w.pid(), "?").update(new Hashtable<>(w.properties()));
                } else if (w.factoryPid() != null && w.pid().contains("~")) {
                    String name = w.pid().substring(w.pid().indexOf('~') + 1);
                    configAdmin.getFactoryConfiguration(w.factoryPid(), name, "?")
                            .update(new Hashtable<>(w.properties()));
                } else if (w.factoryPid() != null) {
                    configAdmin.createFactoryConfiguration(w.factoryPid(), "?")
                            .update(new Hashtable<>(w.properties()));
                } else {
                    configAdmin.getConfiguration(w.pid(), "?").update(new Hashtable<>(w.properties()));
                }
            }
            for (Entry extra : now.values()) {
                changed++;
                if (extra.file() != null) {
                    Files.deleteIfExists(Path.of(extra.file()));
                } else {
                    configAdmin.getConfiguration(extra.pid(), "?").delete();
                }
            }
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "config.apply", "应用配置失败 / Applying the configuration failed "
                    + "part-way (" + changed + " changed); roll back to the snapshot taken before: " + e.getMessage(), e);
        }
        awaitFiles(viaFiles);
        return changed;
    }

    private void writeFile(Path file, Map<String, Object> properties) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, ConfigFileFormat.write(properties), StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** fileinstall applies file changes within its poll interval; wait so the caller sees the result. */
    private void awaitFiles(List<Entry> viaFiles) throws ManagementException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!viaFiles.isEmpty()) {
            Map<String, Entry> now = new LinkedHashMap<>();
            for (Entry e : current()) {
                now.put(e.pid(), e);
            }
            viaFiles.removeIf(w -> now.containsKey(w.pid())
                    && sameProperties(now.get(w.pid()).properties(), w.properties()));
            if (viaFiles.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ManagementException(Kind.FAILED, "config.file_not_applied", "配置文件已写入但未生效 / Wrote the "
                        + "configuration files but ConfigAdmin did not pick up " + viaFiles.stream().map(Entry::pid)
                                .toList() + " within 15 s: is fileinstall running?");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static boolean sameProperties(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> TypedValues.same(e.getValue(), b.get(e.getKey())));
    }

    // ---- saved snapshots

    SnapshotInfo save(Change change, String reason) throws ManagementException {
        Instant at = clock.get();
        String id = ID.format(at) + "-" + sequence.incrementAndGet();
        String json = export(change, reason);
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve(id + ".json.part");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try { // a snapshot holds the operators' password hashes: owner-only, like data/secrets
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.move(tmp, folder.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "snapshot.write", "无法保存配置快照 / Cannot save the snapshot in "
                    + folder + ": " + e.getMessage(), e);
        }
        return info(id, json);
    }

    List<SnapshotInfo> list() throws ManagementException {
        List<SnapshotInfo> out = new ArrayList<>();
        for (Path file : files()) {
            String name = file.getFileName().toString();
            try {
                out.add(info(name.substring(0, name.length() - 5), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | ManagementException e) {
                // a damaged snapshot is not offered
            }
        }
        Collections.reverse(out);
        return out;
    }

    String read(String id) throws ManagementException {
        if (!id.matches("[0-9TZ]+-[0-9]+")) {
            throw new ManagementException(Kind.BAD_REQUEST, "snapshot.id", "快照编号无效 / Invalid snapshot id " + id);
        }
        Path file = folder.resolve(id + ".json");
        if (!Files.isRegularFile(file)) {
            throw new ManagementException(Kind.NOT_FOUND, "snapshot.unknown", "没有此快照 / No snapshot " + id);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "snapshot.read", "无法读取快照 / Cannot read snapshot " + id);
        }
    }

    private SnapshotInfo info(String id, String json) throws ManagementException {
        try {
            JsonNode doc = mapper.readTree(json);
            return new SnapshotInfo(id, Instant.parse(doc.path("createdAt").asText()), doc.path("actor").asText(),
                    doc.path("reason").asText(), doc.path("configurations").size());
        } catch (IOException | RuntimeException e) {
            throw bad("snapshot.damaged", "快照已损坏 / Damaged snapshot " + id);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var stream = Files.list(folder)) {
            // ids sort by time, then by sequence within a second
            return stream.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted((a, b) -> compareIds(a.getFileName().toString(), b.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int compareIds(String a, String b) {
        String[] x = a.replace(".json", "").split("-");
        String[] y = b.replace(".json", "").split("-");
        int c = x[0].compareTo(y[0]);
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private void prune() throws IOException {
        List<Path> files = files();
        for (int i = 0; i < files.size() - kept; i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    private static ManagementException bad(String code, String message) {
        return new ManagementException(Kind.BAD_REQUEST, code, Objects.requireNonNull(message));
    }
}
