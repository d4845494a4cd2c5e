package org.lockergate.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.CloudParcelService;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.RepairTime;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;
import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.FeePolicy;
import org.lockergate.api.spi.Notifier;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.api.report.CompartmentUses;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.TurnedAway;
import org.lockergate.api.report.TurnedAwayLog;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.core.internal.query.Reports;
import org.lockergate.core.internal.kiosk.PinVerifier;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.CabinetEntry;
import org.lockergate.core.internal.registry.CompanyEntry;
import org.lockergate.core.internal.registry.CourierEntry;
import org.lockergate.core.internal.registry.GroupEntry;
import org.lockergate.core.internal.ticket.RoundSchedule;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.lockergate.store.LockerStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core as OSGi services: kiosk, cabinet host, queries, alarms, maintenance, health. A thin facade over
 * {@link Core}; everything it tracks (clock, policies, notifiers, vendor factories, configured groups, companies,
 * couriers and cabinets, the PIN verifier, EventAdmin) is dynamic, so none of them restarts the core.
 */
@Component(name = LockerCore.PID, configurationPid = LockerCore.PID, immediate = true,
        service = {KioskService.class, CabinetHost.class, LockerQueries.class, AlarmService.class,
            MaintenanceService.class, HealthContributor.class, CoreAdmin.class, CloudParcelService.class,
            TurnedAwayLog.class, ReportOutbox.class, CompartmentUses.class, org.lockergate.api.locker.AuditLog.class,
            TicketService.class, InspectionService.class, SendService.class})
@Designate(ocd = CoreConfig.class)
public class LockerCore implements KioskService, CabinetHost, LockerQueries, AlarmService, MaintenanceService,
        HealthContributor, CoreAdmin, CloudParcelService, TurnedAwayLog, ReportOutbox, CompartmentUses,
        org.lockergate.api.locker.AuditLog, TicketService, InspectionService, SendService {

    public static final String PID = "org.lockergate.core";
    private static final Logger LOG = LoggerFactory.getLogger(LockerCore.class);

    private final DelegatingClock clock;
    private final ExecutorService notifyExecutor;
    private final Core core;
    private final Reports reports;

    @Activate
    public LockerCore(CoreConfig config, BundleContext context, @Reference(name = "store") LockerStore store)
            throws IOException {
        Settings settings = Settings.from(config);
        this.clock = new DelegatingClock(settings.zone());
        this.notifyExecutor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "lockergate-core-notify");
            thread.setDaemon(true);
            return thread;
        });
        String data = context.getProperty("lockergate.data");
        this.core = new Core(store, clock, null, settings, Path.of(data == null || data.isBlank() ? "./data" : data),
                notifyExecutor);
        this.reports = new Reports(core.env);
        core.tickets.faults(ticketAlarms(config));
    }

    private static java.util.Set<AlarmType> ticketAlarms(CoreConfig config) {
        java.util.Set<AlarmType> types = java.util.EnumSet.noneOf(AlarmType.class);
        for (String name : config.ticketAlarms() == null ? new String[0] : config.ticketAlarms()) {
            try {
                types.add(AlarmType.fromWireName(name));
            } catch (IllegalArgumentException e) {
                LOG.warn("ticketAlarms: 未知告警 {} / unknown alarm {}", name, name);
            }
        }
        return types;
    }

    // --- capacity planning and report events (rules bundle) ---

    @Override
    public List<TurnedAway> turnedAway(String groupId, Instant from, Instant to) {
        return reports.turnedAway(groupId, from, to);
    }

    @Override
    public long publish(String type, String actor, Map<String, Object> data) throws LockerException {
        return reports.publish(type, actor, data);
    }

    @Override
    public Map<String, Long> uses(String groupId) {
        return reports.uses(groupId);
    }

    @Activate
    void activate() throws Exception {
        core.start();
        core.timers.start();
        LOG.info("核心已启动：{} 个柜组，{} 个已知柜子 / Core started: {} groups, {} known cabinets",
                core.registry.groups().size(), core.registry.cabinets().size(), core.registry.groups().size(),
                core.registry.cabinets().size());
    }

    @Modified
    void modified(CoreConfig config) {
        Settings settings = Settings.from(config);
        boolean tickChanged = !settings.tick().equals(core.env.settings().tick());
        core.env.settings(settings);
        core.tickets.faults(ticketAlarms(config));
        clock.fallbackZone(settings.zone());
        if (tickChanged) {
            core.timers.stop();
            core.timers.start();
        }
    }

    @Deactivate
    void deactivate() {
        core.timers.stop();
        notifyExecutor.shutdown();
    }

    // --- dynamic references ---

    @Reference(name = "clock", policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(GatewayClock c) {
        clock.bind(c);
    }

    void unbindClock(GatewayClock c) {
        clock.unbind(c);
    }

    @Reference(name = "eventAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin admin) {
        core.env.events().sink((topic, props) -> admin.postEvent(new Event(topic, props)));
    }

    void unbindEventAdmin(EventAdmin admin) {
        core.env.events().sink(null);
    }

    @Reference(name = "allocation", policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAllocation(AllocationPolicy policy) {
        core.policies.allocation(policy);
    }

    void unbindAllocation(AllocationPolicy policy) {
        if (core.policies.allocation() == policy) {
            core.policies.allocation(null);
        }
    }

    @Reference(name = "fee", policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindFee(FeePolicy policy) {
        core.policies.fee(policy);
    }

    void unbindFee(FeePolicy policy) {
        if (core.policies.fee() == policy) {
            core.policies.fee(null);
        }
    }

    @Reference(name = "notifier", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindNotifier(Notifier notifier) {
        core.notifiers.add(notifier);
    }

    void unbindNotifier(Notifier notifier) {
        core.notifiers.remove(notifier);
    }

    @Reference(name = "pinVerifier", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPinVerifier(PinVerifier verifier) {
        core.sessions.verifier(verifier);
    }

    void unbindPinVerifier(PinVerifier verifier) {
        core.sessions.verifier(null);
    }

    @Reference(name = "vendor", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindVendor(CabinetDriverFactory factory, Map<String, Object> properties) {
        LOG.info("柜子厂商模块 {} 已就绪 / Vendor bundle {} present", properties.get(CabinetDriverFactory.VENDOR),
                properties.get(CabinetDriverFactory.VENDOR));
    }

    void unbindVendor(CabinetDriverFactory factory, Map<String, Object> properties) {
        Object vendor = properties.get(CabinetDriverFactory.VENDOR);
        core.registry.vendorGone(vendor == null ? safeVendor(factory) : String.valueOf(vendor));
    }

    // The targets keep an entry whose factory configuration has arrived without its key fields (seen under load when
    // a configuration file is picked up mid-creation) from being bound: binding would activate it, the activation
    // fails, and SCR never tries that service again. With the target, the entry is bound (and activated) once the
    // full configuration updates its service properties.
    @Reference(name = "group", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(groupId=*)")
    void bindGroup(GroupEntry entry) {
        try {
            core.registry.putGroup(entry.group());
        } catch (Exception e) {
            LOG.error("Could not store group {}: {}", entry.group().groupId(), e.toString(), e);
        }
    }

    void unbindGroup(GroupEntry entry) {
        core.registry.removeGroup(entry.group().groupId());
    }

    @Reference(name = "company", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(code=*)")
    void bindCompany(CompanyEntry entry) {
        try {
            core.registry.putCompany(entry.company());
        } catch (Exception e) {
            LOG.error("Could not store courier company {}: {}", entry.company().code(), e.toString(), e);
        }
    }

    void unbindCompany(CompanyEntry entry) {
        // kept: parcels and statistics refer to it
    }

    @Reference(name = "courier", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(&(courierId=*)(company=*)(pinHash=*))")
    void bindCourier(CourierEntry entry) {
        try {
            core.registry.putCourier(entry.courier());
        } catch (Exception e) {
            LOG.error("Could not store courier {}: {}", entry.courier().courierId(), e.toString(), e);
        }
    }

    void unbindCourier(CourierEntry entry) {
        try {
            core.registry.deactivateCourier(entry.courier().courierId());
        } catch (Exception e) {
            LOG.error("Could not deactivate courier {}: {}", entry.courier().courierId(), e.toString(), e);
        }
    }

    @Reference(name = "cabinet", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(&(cabinetId=*)(groupId=*))")
    void bindCabinet(CabinetEntry entry) {
        core.registry.allow(entry.cabinet());
    }

    void unbindCabinet(CabinetEntry entry) {
        core.registry.disallow(entry.cabinet().cabinetId());
    }

    @Reference(name = "round", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRound(RoundSchedule entry) {
        core.rounds.put(entry.schedule());
    }

    void unbindRound(RoundSchedule entry) {
        core.rounds.remove(entry.schedule().scheduleId());
    }

    private static String safeVendor(CabinetDriverFactory factory) {
        try {
            return factory.vendor();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // --- CloudParcelService ---

    @Override
    public PickupResult openForApp(String parcelId, String actor) throws LockerException {
        return core.cloudParcels.openForApp(parcelId, actor);
    }

    @Override
    public Parcel resendCode(String parcelId, String actor) throws LockerException {
        return core.cloudParcels.resendCode(parcelId, actor);
    }

    @Override
    public Parcel confirmPayment(String parcelId, long feeFen, String paymentRef, String actor)
            throws LockerException {
        return core.cloudParcels.confirmPayment(parcelId, feeFen, paymentRef, actor);
    }

    // --- SendService ---

    @Override
    public SendOrder order(SendOrderRequest request, String actor) throws LockerException {
        return core.sends.order(request, actor);
    }

    @Override
    public SendOrder cancel(String orderId, String reason, String actor) throws LockerException {
        return core.sends.cancel(orderId, reason, actor);
    }

    @Override
    public SendOpenResult drop(String groupId, String sendCode, String keypadId) throws LockerException {
        return core.sends.drop(groupId, sendCode, keypadId);
    }

    @Override
    public List<SendOrder> collectionList(String groupId, String session) throws LockerException {
        return core.sends.collectionList(groupId, session);
    }

    @Override
    public SendOpenResult collect(String groupId, String session, String orderId) throws LockerException {
        return core.sends.collect(groupId, session, orderId);
    }

    @Override
    public Optional<SendOrder> order(String orderId) {
        return core.sends.order(orderId);
    }

    @Override
    public List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit) {
        return core.sends.orders(companyCode, groupId, states, limit);
    }

    @Override
    public boolean cameraOk(String groupId) {
        return core.sends.cameraOk(groupId);
    }

    // --- KioskService ---

    @Override
    public CourierSession signIn(String groupId, String courierId, char[] pin) throws LockerException {
        return core.kiosk.signIn(groupId, courierId, pin);
    }

    @Override
    public CourierSession signInWithToken(String groupId, String token) throws LockerException {
        return core.kiosk.signInWithToken(groupId, token);
    }

    @Override
    public DepositResult deposit(String groupId, DepositRequest request) throws LockerException {
        return core.kiosk.deposit(groupId, request);
    }

    @Override
    public PickupResult pickup(String groupId, String code, String phoneLast4, String keypadId)
            throws LockerException {
        return core.kiosk.pickup(groupId, code, phoneLast4, keypadId);
    }

    @Override
    public void reject(String groupId, String parcelId, String reason) throws LockerException {
        core.kiosk.reject(groupId, parcelId, reason);
    }

    @Override
    public PickupResult withdraw(String groupId, String session, String parcelId) throws LockerException {
        return core.kiosk.withdraw(groupId, session, parcelId);
    }

    @Override
    public List<RecallEntry> recalls(String groupId, String session) throws LockerException {
        return core.kiosk.recalls(groupId, session);
    }

    // --- CabinetHost ---

    @Override
    public CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) throws LockerException {
        return core.registry.attach(descriptor, driver);
    }

    // --- LockerQueries ---

    @Override
    public List<CabinetGroup> groups() {
        return core.queries.groups();
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return core.queries.group(groupId);
    }

    @Override
    public List<Cabinet> cabinets(String groupId) {
        return core.queries.cabinets(groupId);
    }

    @Override
    public List<Compartment> compartments(String groupId) {
        return core.queries.compartments(groupId);
    }

    @Override
    public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
        return core.queries.parcels(groupId, states, limit);
    }

    @Override
    public List<Parcel> parcelsBetween(String groupId, Instant from, Instant to) {
        return core.queries.parcelsBetween(groupId, from, to);
    }

    @Override
    public Optional<Parcel> parcel(String parcelId) {
        return core.queries.parcel(parcelId);
    }

    @Override
    public List<AuditEntry> audit(Instant from, int limit) {
        return core.queries.audit(from, limit);
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        return core.queries.outbox(limit);
    }

    @Override
    public List<Parcel> parcels(org.lockergate.api.locker.ParcelQuery query) {
        return core.queries.parcels(query);
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, long afterId, int limit) {
        return core.queries.audit(from, to, afterId, limit);
    }

    @Override
    public List<OutboxEvent> events(OutboxEvent.Stream stream, long afterSeq, Instant from, int limit) {
        return core.queries.events(stream, afterSeq, from, limit);
    }

    @Override
    public List<Alarm> alarms(Instant from, int limit) {
        return core.queries.alarms(from, limit);
    }

    @Override
    public List<org.lockergate.api.model.CourierCompany> companies() {
        return core.queries.companies();
    }

    @Override
    public List<org.lockergate.api.model.Courier> couriers(String companyCode) {
        return core.queries.couriers(companyCode);
    }

    // --- AuditLog ---

    @Override
    public void record(String actor, String action, String target, String detail) throws LockerException {
        try {
            core.env.store().write("audit." + action, tx -> {
                tx.audit(core.env.now(), actor, action, target, detail);
                return null;
            });
        } catch (org.lockergate.store.StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    // --- AlarmService ---

    @Override
    public List<Alarm> open() {
        return core.alarms.open();
    }

    @Override
    public Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message) {
        return core.alarms.raise(type, groupId, cabinetId, compartment, message);
    }

    @Override
    public void clear(AlarmType type, String groupId, String cabinetId, String compartment) {
        core.alarms.clear(type, groupId, cabinetId, compartment);
    }

    @Override
    public Alarm acknowledge(long alarmId, String by) throws LockerException {
        return core.alarms.acknowledge(alarmId, by);
    }

    // --- MaintenanceService ---

    @Override
    public UnlockOutcome open(String groupId, String compartment, String actor, String reason) throws LockerException {
        return core.maintenance.open(groupId, compartment, actor, reason);
    }

    @Override
    public void disable(String groupId, String compartment, String actor, String reason) throws LockerException {
        core.maintenance.disable(groupId, compartment, actor, reason);
    }

    @Override
    public void enable(String groupId, String compartment, String actor, String reason) throws LockerException {
        core.maintenance.enable(groupId, compartment, actor, reason);
    }

    // --- TicketService, InspectionService ---

    @Override
    public Ticket open(String fault, String groupId, String cabinetId, String compartment, String description,
            String actor) throws LockerException {
        return core.tickets.open(fault, groupId, cabinetId, compartment, description, actor);
    }

    @Override
    public List<Ticket> tickets(List<TicketState> states, String groupId, int limit) {
        return core.tickets.tickets(states, groupId, limit);
    }

    @Override
    public Optional<Ticket> ticket(long ticketId) {
        return core.tickets.ticket(ticketId);
    }

    @Override
    public Ticket take(long ticketId, String actor) throws LockerException {
        return core.tickets.take(ticketId, actor);
    }

    @Override
    public Ticket note(long ticketId, String actor, String text) throws LockerException {
        return core.tickets.note(ticketId, actor, text);
    }

    @Override
    public Ticket close(long ticketId, String actor, String resolution, boolean enableCompartment)
            throws LockerException {
        return core.tickets.close(ticketId, actor, resolution, enableCompartment);
    }

    @Override
    public List<RepairTime> repairTimesByVendor(Instant from, Instant to) {
        return core.tickets.repairTimesByVendor(from, to);
    }

    @Override
    public List<RepairTime> repairTimesByGroup(Instant from, Instant to) {
        return core.tickets.repairTimesByGroup(from, to);
    }

    @Override
    public List<InspectionRound> rounds(String groupId, boolean includeCompleted, int limit) {
        return core.rounds.rounds(groupId, includeCompleted, limit);
    }

    @Override
    public List<InspectionRound> overdue() {
        return core.rounds.overdue();
    }

    @Override
    public InspectionRound complete(long roundId, String actor, List<String> ticked, String note)
            throws LockerException {
        return core.rounds.complete(roundId, actor, ticked, note);
    }

    // --- CoreAdmin, health ---

    @Override
    public int redirect(String cabinetId) throws LockerException {
        if (core.registry.cabinet(cabinetId).isEmpty()) {
            throw Errors.notFound("cabinet " + cabinetId);
        }
        try {
            return core.timers.redirectNow(cabinetId);
        } catch (org.lockergate.store.StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    @Override
    public HealthCheck check() {
        long online = core.registry.cabinets().stream().filter(AttachedCabinet::online).count();
        int known = core.registry.cabinets().size();
        int groups = core.registry.groups().size();
        return HealthCheck.up("core", false, groups + " groups configured, " + online + "/" + known
                + " cabinets online", Map.of("groups", groups, "cabinetsOnline", online, "cabinetsKnown", known));
    }
}
