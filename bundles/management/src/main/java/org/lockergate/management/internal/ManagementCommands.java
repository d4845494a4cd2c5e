package org.lockergate.management.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.lockergate.identity.Role;
import org.lockergate.identity.ShellSessions;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.Inventory;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.SnapshotInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code mgmt:*} for technicians: the same {@link ManagementService} as REST and MQTT. Bundle changes
 * need the technician role (admin has every role); progress lines are printed as they happen.
 */
@Component(service = ManagementCommands.class, property = {
    "osgi.command.scope=mgmt",
    "osgi.command.function=install", "osgi.command.function=update", "osgi.command.function=rollback",
    "osgi.command.function=start", "osgi.command.function=stop", "osgi.command.function=uninstall",
    "osgi.command.function=snapshot", "osgi.command.function=snapshots", "osgi.command.function=restore",
    "osgi.command.function=export", "osgi.command.function=import", "osgi.command.function=inventory",
    "osgi.command.function=backup", "osgi.command.function=featureinstall",
    "osgi.command.function=featureuninstall"
})
public class ManagementCommands {

    private static final String LOCAL = "local-console";

    private final ManagementService management;
    private final ShellSessions sessions;

    @Activate
    public ManagementCommands(@Reference ManagementService management, @Reference ShellSessions sessions) {
        this.management = management;
        this.sessions = sessions;
    }

    @Descriptor("安装已签名的软件包 / install a signed bundle (signature from URL.sig unless given)")
    public String install(CommandSession session, @Descriptor("URL 或文件 / URL or file") String url,
            @Descriptor("原因 / reason") String... reason) throws ManagementException {
        URI uri = uri(url);
        return text(management.install(Artifact.download(uri, signatureFor(uri)), change(session, reason),
                printer(session)));
    }

    @Descriptor("更新软件包（失败自动回滚）/ update a bundle to a signed new version (rolls back on failure)")
    public String update(CommandSession session, @Descriptor("软件包名 / symbolic name") String bsn,
            @Descriptor("URL 或文件 / URL or file") String url, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        URI uri = uri(url);
        return text(management.update(bsn, Artifact.download(uri, signatureFor(uri)), change(session, reason),
                printer(session)));
    }

    @Descriptor("回滚到上一版本 / go back to the version kept before the last update")
    public String rollback(CommandSession session, @Descriptor("软件包名 / symbolic name") String bsn,
            @Descriptor("原因 / reason") String... reason) throws ManagementException {
        return text(management.rollback(bsn, change(session, reason), printer(session)));
    }

    @Descriptor("启动软件包 / start a bundle")
    public String start(CommandSession session, String bsn, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        return text(management.start(bsn, change(session, reason)));
    }

    @Descriptor("停止软件包 / stop a bundle")
    public String stop(CommandSession session, String bsn, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        return text(management.stop(bsn, change(session, reason)));
    }

    @Descriptor("卸载软件包 / remove a bundle")
    public String uninstall(CommandSession session, String bsn, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        return text(management.uninstall(bsn, change(session, reason)));
    }

    @Descriptor("保存配置快照 / save a configuration snapshot")
    public String snapshot(CommandSession session, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        SnapshotInfo info = management.snapshot(change(session, reason));
        return "已保存配置快照 / Saved snapshot " + info.id() + " (" + info.configurations() + " configurations)";
    }

    @Descriptor("列出配置快照 / list configuration snapshots")
    public String snapshots(CommandSession session) throws ManagementException {
        sessions.requireRole(session, Role.TECHNICIAN);
        StringBuilder out = new StringBuilder();
        for (SnapshotInfo s : management.snapshots()) {
            out.append(String.format("%-22s %s %-20s %3d  %s%n", s.id(), s.createdAt(), s.actor(), s.configurations(),
                    s.reason()));
        }
        return out.length() == 0 ? "没有快照 / No snapshots" : out.toString();
    }

    @Descriptor("回滚到配置快照 / restore a configuration snapshot")
    public String restore(CommandSession session, @Descriptor("快照编号 / snapshot id") String id,
            @Descriptor("原因 / reason") String... reason) throws ManagementException {
        sessions.requireRole(session, Role.ADMIN); // the configuration holds the operators and their roles
        SnapshotInfo before = management.rollbackConfiguration(id, change(session, reason));
        return "已恢复快照 " + id + " / Restored snapshot " + id + " (the configuration before is snapshot " + before.id()
                + ")";
    }

    @Descriptor("导出配置为 JSON 文件 / export the configuration to a JSON file")
    public String export(CommandSession session, @Descriptor("文件 / file") String file) throws ManagementException,
            IOException {
        sessions.requireRole(session, Role.ADMIN); // it holds the operators' password hashes
        Files.writeString(Path.of(file), management.exportConfiguration(), StandardCharsets.UTF_8);
        return "已导出 / Exported the configuration to " + file;
    }

    @Descriptor("从 JSON 文件导入配置 / import the configuration from a JSON file")
    public String _import(CommandSession session, @Descriptor("文件 / file") String file,
            @Descriptor("原因 / reason") String... reason) throws ManagementException, IOException {
        sessions.requireRole(session, Role.ADMIN); // the configuration holds the operators and their roles
        SnapshotInfo before = management.importConfiguration(Files.readString(Path.of(file), StandardCharsets.UTF_8),
                change(session, reason));
        return "已导入 / Imported " + file + " (the configuration before is snapshot " + before.id() + ")";
    }

    @Descriptor("网关清单与诊断 / inventory and diagnostics in one view")
    public String inventory(CommandSession session) {
        sessions.requireRole(session, Role.TECHNICIAN);
        Inventory inv = management.inventory();
        StringBuilder out = new StringBuilder("健康 / Health: " + inv.health() + "   功能 / Features: "
                + inv.features() + "\n");
        inv.system().forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        for (Inventory.BundleInfo b : inv.bundles()) {
            out.append(String.format("%4d %-9s %-45s %s%n", b.id(), b.state(), b.symbolicName(), b.version()));
        }
        if (!inv.cabinets().isEmpty()) {
            out.append("柜体 / Cabinets:\n");
            inv.cabinets().forEach(c -> out.append("  ").append(c.groupId()).append('/').append(c.cabinetId())
                    .append("  ").append(c.vendor()).append(' ').append(c.model()).append(" fw ").append(c.firmware())
                    .append("  ").append(c.online() ? "在线 / online" : "离线 / OFFLINE").append('\n'));
        }
        if (!inv.recentErrors().isEmpty()) {
            out.append("最近的日志错误 / Recent log errors and warnings:\n");
            inv.recentErrors().forEach(line -> out.append("  ").append(line).append('\n'));
        }
        if (!inv.recentOperations().isEmpty()) {
            out.append("最近的管理操作 / Recent operations:\n");
            inv.recentOperations().forEach(op -> out.append("  ").append(op).append('\n'));
        }
        return out.toString();
    }

    @Descriptor("安装功能并检查（失败则移除）/ install a feature of the distribution, checked (removed if it fails)")
    public String featureinstall(CommandSession session,
            @Descriptor("功能名，或已签名功能包的 URL / feature name, or URL of a signed feature archive") String name,
            @Descriptor("原因 / reason") String... reason) throws ManagementException {
        if (name.contains(":") || name.endsWith(".zip")) {
            // a signed archive (NAME.json + repository/), its signature in URL.sig as for bundles
            URI uri = uri(name);
            return management.installFeature(Artifact.download(uri, signatureFor(uri)), change(session, reason),
                    printer(session)).message();
        }
        return management.installFeature(name, change(session, reason)).message();
    }

    @Descriptor("移除功能 / remove a feature")
    public String featureuninstall(CommandSession session, @Descriptor("功能 / feature") String name,
            @Descriptor("原因 / reason") String... reason) throws ManagementException {
        return management.uninstallFeature(name, change(session, reason)).message();
    }

    @Descriptor("在线备份整个数据目录（含密钥）/ online backup of the whole data folder, secrets included")
    public String backup(CommandSession session, @Descriptor("原因 / reason") String... reason)
            throws ManagementException {
        sessions.requireRole(session, Role.ADMIN);
        org.lockergate.management.BackupInfo info = management.backup(change(session, reason));
        return "已备份 / Backup written: " + info.file() + " (" + info.entries() + " files, " + info.bytes()
                + " bytes, SHA-256 " + info.sha256() + ")\n含密钥，请妥善保管 / It holds the secrets: keep it safe. "
                + "Restore: bin/lockergate --restore " + info.file();
    }

    private Change change(CommandSession session, String... reason) {
        sessions.requireRole(session, Role.TECHNICIAN);
        String actor = sessions.operatorOf(session).map(o -> "operator:" + o.username()).orElse(LOCAL);
        return new Change(actor, String.join(" ", reason));
    }

    private static URI uri(String url) {
        if (url.contains("://") || url.startsWith("file:")) {
            return URI.create(url);
        }
        return Path.of(url).toAbsolutePath().toUri();
    }

    /** The detached signature beside the artifact: {@code URL.sig}. */
    private static String signatureFor(URI uri) throws ManagementException {
        try {
            if ("file".equals(uri.getScheme())) {
                Path sig = Path.of(uri).resolveSibling(Path.of(uri).getFileName() + ".sig");
                return Files.isRegularFile(sig) ? Files.readString(sig, StandardCharsets.US_ASCII).strip() : "";
            }
            var client = java.net.http.HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null))
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
            var response = client.send(java.net.http.HttpRequest.newBuilder(URI.create(uri + ".sig"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
            return response.statusCode() == 200 ? response.body().strip() : "";
        } catch (IOException e) {
            return ""; // the service then refuses it as unsigned, with its reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static Progress printer(CommandSession session) {
        PrintStream console = session.getConsole();
        return (stage, percent, message) -> console.println("  [" + stage + (percent >= 0 ? " " + percent + "%" : "")
                + "] " + message);
    }

    private static String text(BundleOutcome outcome) {
        return outcome.message() + "  (" + outcome.symbolicName() + " " + outcome.version() + ", " + outcome.state()
                + ")";
    }
}
