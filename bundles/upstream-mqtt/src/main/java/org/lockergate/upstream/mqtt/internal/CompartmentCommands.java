package org.lockergate.upstream.mqtt.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code compartment.disable} / {@code compartment.enable} with args {@code groupId}, {@code compartment} (the door
 * label) and optional {@code reason}; through {@link MaintenanceService} as actor {@code cloud} (audited there).
 * Errors of the core map by kind: unknown compartment 404, wrong state 409.
 */
@Component(service = CommandHandler.class,
        property = {CommandHandler.COMMAND + "=compartment.disable", CommandHandler.COMMAND + "=compartment.enable"})
public class CompartmentCommands implements CommandHandler {

    static final String ACTOR = "cloud";

    private final MaintenanceService maintenance;

    @Activate
    public CompartmentCommands(@Reference MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String groupId = command.requiredString("groupId");
        String compartment = command.requiredString("compartment");
        String reason = command.optionalString("reason", "cloud command " + command.requestId());
        switch (command.name()) {
            case "compartment.disable" -> maintenance.disable(groupId, compartment, ACTOR, reason);
            case "compartment.enable" -> maintenance.enable(groupId, compartment, ACTOR, reason);
            default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                    + command.name());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groupId", groupId);
        body.put("compartment", compartment);
        body.put("state", command.name().endsWith("disable") ? "DISABLED" : "FREE_OR_OCCUPIED");
        return CommandResult.ok(body);
    }
}
