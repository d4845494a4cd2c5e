package org.lockergate.core.internal.shell;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;
import org.lockergate.api.time.GatewayClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Read-only Gogo commands for maintenance, scope {@code lockergate}: {@code tickets} (open and taken, or all) and
 * {@code rounds} (pending inspection and cleaning rounds, overdue marked). Acting on tickets is done over REST, where
 * the operator is known and audited.
 */
@Component(service = TicketCommands.class, property = {
    "osgi.command.scope=lockergate", "osgi.command.function=tickets", "osgi.command.function=rounds"
})
public class TicketCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final TicketService tickets;
    private final InspectionService inspections;
    private final GatewayClock clock;

    @Activate
    public TicketCommands(@Reference(name = "tickets") TicketService tickets,
            @Reference(name = "inspections") InspectionService inspections,
            @Reference(name = "clock") GatewayClock clock) {
        this.tickets = tickets;
        this.inspections = inspections;
        this.clock = clock;
    }

    @Descriptor("未关闭的维修工单 / maintenance tickets not closed")
    public String tickets() {
        return table(tickets.tickets(List.of(TicketState.OPEN, TicketState.TAKEN), null, 200));
    }

    @Descriptor("维修工单（all = 含已关闭） / maintenance tickets (all = closed too)")
    public String tickets(@Descriptor("all") String all) {
        return table(tickets.tickets("all".equalsIgnoreCase(all) ? List.of()
                : List.of(TicketState.OPEN, TicketState.TAKEN), null, 200));
    }

    @Descriptor("待完成的巡检与清洁 / pending inspection and cleaning rounds")
    public String rounds() {
        Instant now = clock.now();
        Table table = new Table("轮次/ROUND", "柜组/GROUP", "类型/KIND", "名称/NAME", "到期/DUE", "超期/OVERDUE");
        for (InspectionRound r : inspections.rounds(null, false, 200)) {
            table.row(r.roundId(), r.groupId(), r.kind(), r.name(), time(r.dueAt()), r.overdue(now) ? "超期/OVERDUE" : "");
        }
        return table.size() == 0 ? "没有待完成的轮次 / No pending rounds" : table.toString();
    }

    private String table(List<Ticket> list) {
        Table table = new Table("工单/TICKET", "状态/STATE", "故障/FAULT", "柜组/GROUP", "柜子/CABINET", "格口/DOOR",
                "开单/OPENED", "处理人/TAKEN BY", "次数/COUNT");
        for (Ticket t : list) {
            table.row(t.ticketId(), t.state(), t.fault(), t.groupId(), t.cabinetId(), t.compartment(),
                    time(t.openedAt()), t.takenBy(), t.occurrences());
        }
        return table.size() == 0 ? "没有工单 / No tickets" : table.toString();
    }

    private String time(Instant instant) {
        return instant == null ? null : TIME.format(instant.atZone(clock.zone()));
    }
}
