package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;

/**
 * The wire forms of the locker resources. Field names are part of the API (openapi.json); records keep them
 * stable. Personal data only masked (R18): a parcel shows the masked phone and never its pickup code.
 */
final class Views {

    private Views() {}

    /** Compartments of a group by state; the grid's summary. */
    public record Counts(int total, int free, int reserved, int opening, int occupied, int fault, int disabled) {
        static Counts of(List<Compartment> compartments) {
            int[] n = new int[CompartmentState.values().length];
            compartments.forEach(c -> n[c.state().ordinal()]++);
            return new Counts(compartments.size(), n[CompartmentState.FREE.ordinal()],
                    n[CompartmentState.RESERVED.ordinal()], n[CompartmentState.OPENING.ordinal()],
                    n[CompartmentState.OCCUPIED.ordinal()], n[CompartmentState.FAULT.ordinal()],
                    n[CompartmentState.DISABLED.ordinal()]);
        }
    }

    /** A group with its registry data (R21), its cabinets' online state and its compartment counts. */
    public record GroupView(String groupId, String name, String community, String address, Double latitude,
            Double longitude, String postalFilingNumber, String propertyContact, String emergencyContact,
            int cabinets, int cabinetsOnline, Counts compartments) {
        static GroupView of(CabinetGroup g, List<Cabinet> cabinets, List<Compartment> compartments) {
            GroupInfo i = g.info() == null ? new GroupInfo(null, null, null, null, null, null, null) : g.info();
            List<Cabinet> own = cabinets.stream().filter(c -> c.groupId().equals(g.groupId())).toList();
            return new GroupView(g.groupId(), g.name(), i.community(), i.address(), i.latitude(), i.longitude(),
                    i.postalFilingNumber(), i.propertyContact(), i.emergencyContact(), own.size(),
                    (int) own.stream().filter(Cabinet::online).count(),
                    Counts.of(compartments.stream().filter(c -> c.groupId().equals(g.groupId())).toList()));
        }
    }

    public record CabinetView(String cabinetId, String groupId, String vendor, String model, String firmware,
            boolean online, Instant lastSeen) {
        static CabinetView of(Cabinet c) {
            return new CabinetView(c.cabinetId(), c.groupId(), c.vendor(), c.model(), c.firmware(), c.online(),
                    c.lastSeen());
        }
    }

    /** One compartment: state, size, door, item, wiring (lock board and channel from 1), its parcel id. */
    public record CompartmentView(String groupId, String cabinetId, String label, String size, String state,
            boolean doorOpen, boolean itemPresent, Instant occupiedSince, String parcelId, int board, int channel) {
        static CompartmentView of(Compartment c) {
            return new CompartmentView(c.groupId(), c.cabinetId(), c.label(), c.size().name(), c.state().name(),
                    !c.doorClosed(), c.itemPresent(), c.occupiedSince(), c.parcelId(), c.board(), c.channel());
        }
    }

    /** A parcel, masked: the phone as {@code 138******34}, never the pickup code or the consent reference. */
    public record ParcelView(String parcelId, String groupId, String cabinetId, String compartment, String size,
            String waybill, String companyCode, String courierId, String phoneMasked, String state, boolean overdue,
            String consentChannel, Instant reservedAt, Instant depositedAt, Instant closedAt, Long dwellSeconds,
            long feeFen, boolean feeOwed) {
        static final Set<ParcelState> OVERDUE = Set.of(ParcelState.OVERDUE, ParcelState.RECALL_DUE);

        static ParcelView of(Parcel p, Instant now) {
            Long dwell = p.depositedAt() == null ? null
                    : Duration.between(p.depositedAt(), p.closedAt() == null ? now : p.closedAt()).getSeconds();
            return new ParcelView(p.parcelId(), p.groupId(), p.cabinetId(), p.compartment(),
                    p.size() == null ? null : p.size().name(), p.waybill(), p.companyCode(), p.courierId(),
                    p.phoneMasked(), p.state().name(), OVERDUE.contains(p.state()),
                    p.consent() == null ? null : p.consent().channel(), p.reservedAt(), p.depositedAt(),
                    p.closedAt(), dwell, p.feeFen(), p.feeOwed());
        }
    }

    public record AlarmView(long alarmId, String type, int severity, String groupId, String cabinetId,
            String compartment, String message, Instant raisedAt, Instant clearedAt, Instant acknowledgedAt,
            String acknowledgedBy, boolean active, boolean acknowledged) {
        static AlarmView of(Alarm a) {
            return new AlarmView(a.alarmId(), a.type().wireName(), a.type().severity(), a.groupId(), a.cabinetId(),
                    a.compartment(), a.message(), a.raisedAt(), a.clearedAt(), a.acknowledgedAt(),
                    a.acknowledgedBy(), a.active(), a.acknowledged());
        }
    }

    public record AuditView(long id, Instant ts, String actor, String action, String target, String detail) {
        static AuditView of(AuditEntry a) {
            return new AuditView(a.id(), a.ts(), a.actor(), a.action(), a.target(), a.detail());
        }
    }

    /**
     * An outbox row as the cloud gets it, minus secrets: the clear pickup code a {@code notification.requested}
     * row keeps until the cloud confirms it, and any clear phone, are removed from {@code data}.
     */
    public record EventView(long seq, String stream, String eventId, String type, Instant ts, JsonNode data) {
        static final Set<String> SECRET_FIELDS = Set.of("code", "pickupCode", "phone", "pin", "secret", "token");

        static EventView of(OutboxEvent e) {
            return new EventView(e.seq(), e.stream().name().toLowerCase(java.util.Locale.ROOT), e.eventId(),
                    e.type(), e.ts(), redact(e.data()));
        }

        static JsonNode redact(String data) {
            if (data == null) {
                return null;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(data);
                strip(node);
                return node;
            } catch (IOException e) {
                return Json.MAPPER.getNodeFactory().textNode("(unreadable)");
            }
        }

        private static void strip(JsonNode node) {
            if (node instanceof ObjectNode object) {
                object.remove(SECRET_FIELDS);
                object.forEach(Views.EventView::strip);
            } else if (node != null && node.isArray()) {
                node.forEach(Views.EventView::strip);
            }
        }
    }

    /** A courier: id, the name masked like a phone (surname kept), whether the company lets him deposit. */
    public record CourierView(String courierId, String name, boolean active) {
        static String maskName(String name) {
            if (name == null || name.isBlank()) {
                return name;
            }
            int first = name.codePointAt(0);
            return new String(Character.toChars(first)) + "*".repeat(Math.max(1, name.codePointCount(0,
                    name.length()) - 1));
        }
    }

    public record CompanyView(String code, String name, int fundingSharePercent, List<CourierView> couriers) {
    }
}
