package org.lockergate.core.internal.shell;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.core.internal.CoreAdmin;
import org.lockergate.identity.Role;
import org.lockergate.identity.ShellSessions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands, scope {@code locker}. Reads are open to whoever has the shell; {@code open} needs the technician
 * (or admin) role, {@code disable}/{@code enable}, {@code ack} and {@code redirect} technician or property. Who
 * runs a remote session comes from the identity bundle's {@link ShellSessions} (bound by the remote shell, not a
 * session variable the user could overwrite); the local console is trusted.
 */
@Component(service = LockerCommands.class, property = {
    "osgi.command.scope=locker",
    "osgi.command.function=groups", "osgi.command.function=cabinets", "osgi.command.function=compartments",
    "osgi.command.function=parcels", "osgi.command.function=alarms", "osgi.command.function=ack",
    "osgi.command.function=audit", "osgi.command.function=outbox", "osgi.command.function=open",
    "osgi.command.function=disable", "osgi.command.function=enable", "osgi.command.function=redirect"
})
public class LockerCommands {

    static final String LOCAL = "console:local";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final LockerQueries queries;
    private final AlarmService alarms;
    private final MaintenanceService maintenance;
    private final CoreAdmin admin;
    private final GatewayClock clock;
    private final ShellSessions shellSessions;

    @Activate
    public LockerCommands(@Reference(name = "queries") LockerQueries queries,
            @Reference(name = "alarms") AlarmService alarms,
            @Reference(name = "maintenance") MaintenanceService maintenance,
            @Reference(name = "admin") CoreAdmin admin, @Reference(name = "clock") GatewayClock clock,
            @Reference(name = "shellSessions") ShellSessions shellSessions) {
        this.queries = queries;
        this.alarms = alarms;
        this.maintenance = maintenance;
        this.admin = admin;
        this.clock = clock;
        this.shellSessions = shellSessions;
    }

    @Descriptor("柜组 / cabinet groups")
    public String groups() {
        Table table = new Table("柜组/GROUP", "名称/NAME", "小区/COMMUNITY", "柜子/CABINETS", "空闲/FREE", "格口/TOTAL");
        for (CabinetGroup g : queries.groups()) {
            List<Cabinet> cabinets = queries.cabinets(g.groupId());
            List<Compartment> compartments = queries.compartments(g.groupId());
            table.row(g.groupId(), g.name(), g.info() == null ? null : g.info().community(),
                    cabinets.stream().filter(Cabinet::online).count() + "/" + cabinets.size(),
                    compartments.stream().filter(c -> c.state().allocatable()).count(), compartments.size());
        }
        return empty(table, "没有柜组 / No groups");
    }

    @Descriptor("所有柜子 / all cabinets")
    public String cabinets() {
        return cabinets(null);
    }

    @Descriptor("柜组的柜子 / cabinets of a group")
    public String cabinets(@Descriptor("柜组 / group") String group) {
        Table table = new Table("柜子/CABINET", "柜组/GROUP", "厂商/VENDOR", "型号/MODEL", "固件/FIRMWARE", "在线/ONLINE",
                "最后心跳/LAST SEEN");
        for (Cabinet c : queries.cabinets(group)) {
            table.row(c.cabinetId(), c.groupId(), c.vendor(), c.model(), c.firmware(), c.online() ? "是/yes" : "否/NO",
                    time(c.lastSeen()));
        }
        return empty(table, "没有柜子 / No cabinets");
    }

    @Descriptor("柜组的格口 / compartments of a group")
    public String compartments(@Descriptor("柜组 / group") String group) {
        Table table = new Table("格口/LABEL", "柜子/CABINET", "尺寸/SIZE", "板-通道/BOARD-CH", "状态/STATE", "门/DOOR",
                "物品/ITEM", "包裹/PARCEL");
        for (Compartment c : queries.compartments(group)) {
            table.row(c.label(), c.cabinetId(), c.size(), c.board() + "-" + c.channel(), c.state(),
                    c.doorClosed() ? "关/closed" : "开/OPEN", c.itemPresent() ? "有/yes" : "无/no", c.parcelId());
        }
        return empty(table, "没有格口 / No compartments");
    }

    @Descriptor("最近的包裹（已脱敏）/ recent parcels (masked)")
    public String parcels() {
        return parcels(null, null);
    }

    @Descriptor("柜组的包裹（已脱敏）/ parcels of a group (masked)")
    public String parcels(@Descriptor("柜组 / group") String group) {
        return parcels(group, null);
    }

    @Descriptor("柜组中某状态的包裹（已脱敏）/ parcels of a group in a state (masked)")
    public String parcels(@Descriptor("柜组 / group") String group, @Descriptor("状态 / state") String state) {
        List<ParcelState> states = state == null ? List.of()
                : List.of(ParcelState.valueOf(state.strip().toUpperCase(Locale.ROOT)));
        Table table = new Table("包裹/PARCEL", "柜组/GROUP", "格口/LABEL", "状态/STATE", "快递/COMPANY", "快递员/COURIER",
                "手机/PHONE", "投递时间/DEPOSITED", "费用/FEE");
        for (Parcel p : queries.parcels("-".equals(group) ? null : group, states, 200)) {
            table.row(p.parcelId(), p.groupId(), p.compartment(), p.state(), p.companyCode(), p.courierId(),
                    p.phoneMasked(), time(p.depositedAt()), p.feeFen() == 0 ? "" : p.feeFen() + " fen"
                            + (p.feeOwed() ? " owed" : ""));
        }
        return empty(table, "没有包裹 / No parcels");
    }

    @Descriptor("未结束的告警 / open alarms")
    public String alarms() {
        Table table = new Table("ID", "告警/ALARM", "柜组/GROUP", "柜子/CABINET", "格口/LABEL", "发生/RAISED", "清除/CLEARED",
                "确认/ACKED BY");
        for (Alarm a : alarms.open()) {
            table.row(a.alarmId(), a.type().wireName(), a.groupId(), a.cabinetId(), a.compartment(), time(a.raisedAt()),
                    time(a.clearedAt()), a.acknowledgedBy());
        }
        return empty(table, "没有告警 / No open alarms");
    }

    @Descriptor("确认告警 / acknowledge an alarm")
    public String ack(CommandSession session, @Descriptor("告警 ID / alarm id") long alarmId) throws LockerException {
        String actor = actor(session, Role.TECHNICIAN, Role.PROPERTY);
        Alarm alarm = alarms.acknowledge(alarmId, actor);
        return "已确认告警 " + alarm.alarmId() + "（" + alarm.type().wireName() + "）/ Alarm " + alarm.alarmId() + " ("
                + alarm.type().wireName() + ") acknowledged by " + alarm.acknowledgedBy();
    }

    @Descriptor("最近 60 分钟的审计记录 / audit log of the last 60 minutes")
    public String audit() {
        return audit(60);
    }

    @Descriptor("最近 N 分钟的审计记录 / audit log of the last N minutes")
    public String audit(@Descriptor("分钟 / minutes") int minutes) {
        Table table = new Table("时间/TIME", "操作者/ACTOR", "动作/ACTION", "对象/TARGET", "详情/DETAIL");
        for (AuditEntry e : queries.audit(clock.now().minusSeconds(60L * Math.max(1, minutes)), 1000)) {
            table.row(time(e.ts()), e.actor(), e.action(), e.target(), e.detail());
        }
        return empty(table, "没有审计记录 / No audit entries");
    }

    @Descriptor("待发送的出站事件（前 20 条）/ outbox rows not yet confirmed (first 20)")
    public String outbox() {
        return outbox(20);
    }

    @Descriptor("待发送的出站事件 / outbox rows not yet confirmed")
    public String outbox(@Descriptor("条数 / how many") int n) {
        Table table = new Table("流/STREAM", "序号/SEQ", "类型/TYPE", "时间/TIME", "数据/DATA");
        for (OutboxEvent e : queries.outbox(Math.max(1, n))) {
            String data = e.data().replaceAll("\"code\":\"[0-9]+\"", "\"code\":\"********\"");
            table.row(e.stream(), e.seq(), e.type(), time(e.ts()), data.length() > 120 ? data.substring(0, 117) + "..."
                    : data);
        }
        return empty(table, "出站队列为空 / Outbox empty");
    }

    @Descriptor("为维护打开格口（技术员）/ open a compartment for maintenance (technician)")
    public String open(CommandSession session, @Descriptor("柜组 / group") String group,
            @Descriptor("格口 / label") String label, @Descriptor("原因 / reason") String... reason)
            throws LockerException {
        String actor = actor(session, Role.TECHNICIAN);
        return "格口 " + label + " 开锁结果 / Compartment " + label + ": "
                + maintenance.open(group, label, actor, String.join(" ", reason)).wireName();
    }

    @Descriptor("停用格口 / take a compartment out of service")
    public String disable(CommandSession session, @Descriptor("柜组 / group") String group,
            @Descriptor("格口 / label") String label, @Descriptor("原因 / reason") String... reason)
            throws LockerException {
        maintenance.disable(group, label, actor(session, Role.TECHNICIAN, Role.PROPERTY), String.join(" ", reason));
        return "已停用格口 " + group + "/" + label + " / Compartment " + group + "/" + label + " disabled";
    }

    @Descriptor("启用格口 / put a compartment back into service")
    public String enable(CommandSession session, @Descriptor("柜组 / group") String group,
            @Descriptor("格口 / label") String label, @Descriptor("原因 / reason") String... reason)
            throws LockerException {
        maintenance.enable(group, label, actor(session, Role.TECHNICIAN, Role.PROPERTY), String.join(" ", reason));
        return "已启用格口 " + group + "/" + label + " / Compartment " + group + "/" + label + " enabled";
    }

    @Descriptor("立即转移柜子中的包裹（应急预案）/ redirect a cabinet's parcels now (emergency plan)")
    public String redirect(CommandSession session, @Descriptor("柜子 / cabinet") String cabinetId)
            throws LockerException {
        actor(session, Role.TECHNICIAN, Role.PROPERTY);
        int n = admin.redirect(cabinetId);
        return "已为 " + n + " 个包裹发出转移通知 / " + n + " parcel(s) redirected";
    }

    /** The acting operator ({@code operator:NAME}) holding one of the roles; the local console is trusted. */
    String actor(CommandSession session, Role... roles) {
        shellSessions.requireRole(session, roles);
        return shellSessions.operatorOf(session).map(o -> "operator:" + o.username()).orElse(LOCAL);
    }

    private String time(Instant instant) {
        ZoneId zone = clock.zone();
        return instant == null ? null : OffsetDateTime.ofInstant(instant, zone).format(TIME);
    }

    private static String empty(Table table, String message) {
        return table.size() == 0 ? message : table.toString();
    }
}
