package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code config.set} {@code {pid, properties:{key: value|null}}}: updates one singleton configuration in
 * ConfigAdmin, only for the PIDs of {@link Config#allowedPids()}, validated against that PID's metatype
 * ({@link ConfigChange}), audited before it is applied ({@code config.set}, actor {@code cloud:<requestId>}, keys
 * and values — secrets cannot be set this way). The cloud's own settings (this bundle's PIDs) are never on the list:
 * a command must not be able to change the keys that verify commands.
 */
@Component(service = CommandHandler.class, configurationPid = ConfigSetCommand.PID,
        property = CommandHandler.COMMAND + "=config.set")
@Designate(ocd = ConfigSetCommand.Config.class)
public class ConfigSetCommand implements CommandHandler {

    static final String PID = "org.lockergate.upstream.mqtt.configset";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigSetCommand.class);

    @org.osgi.service.metatype.annotations.ObjectClassDefinition(id = PID,
            name = "云命令 config.set 允许的配置 / PIDs the cloud may change (config.set)")
    public @interface Config {
        @org.osgi.service.metatype.annotations.AttributeDefinition(name = "Allowed PIDs",
                description = "Singleton configuration PIDs config.set may update; never this bundle's own.")
        String[] allowedPids() default {"org.lockergate.core", "org.lockergate.rules.fee",
            "org.lockergate.rules.allocation", "org.lockergate.rules.holidays"};
    }

    private final ConfigurationAdmin configAdmin;
    private final MetaTypeService metaType;
    private final LockerStore store;
    private final BundleContext context;
    private final List<String> allowed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GatewayClock clock;

    @Activate
    public ConfigSetCommand(@Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaType,
            @Reference LockerStore store, BundleContext context, Config config) {
        this.configAdmin = configAdmin;
        this.metaType = metaType;
        this.store = store;
        this.context = context;
        this.allowed = Arrays.stream(config.allowedPids()).map(String::strip)
                .filter(p -> !p.isEmpty() && !p.startsWith(UpstreamComponent.PID)).toList();
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String pid = command.requiredString("pid");
        if (!allowed.contains(pid)) {
            throw new CommandException(403, "pid_not_allowed", "不允许通过云命令修改配置 " + pid
                    + " / Configuration " + pid + " may not be changed by a cloud command",
                    Map.of("pid", pid, "allowed", allowed));
        }
        if (!(command.args().get("properties") instanceof Map<?, ?> raw)) {
            throw new CommandException(400, "bad_args", "缺少参数 properties（对象） / Missing argument properties"
                    + " (an object)", Map.of("arg", "properties"));
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        raw.forEach((k, v) -> changes.put(String.valueOf(k), v));
        Map<String, AttributeDefinition> attributes = attributes(pid);
        if (attributes == null) {
            throw new CommandException(409, "no_metatype", "配置 " + pid + " 的元数据不可用，无法校验 / No metatype for "
                    + pid + " (its bundle is not running): the change cannot be validated", Map.of("pid", pid));
        }
        Configuration configuration = configAdmin.getConfiguration(pid, "?");
        ConfigChange.Result result = ConfigChange.apply(pid, attributes, configuration.getProperties(), changes);
        String actor = "cloud:" + command.requestId();
        GatewayClock c = clock;
        Instant now = c == null ? Instant.now() : c.now();
        store.write("config.set", tx -> {
            tx.audit(now, actor, "config.set", "config:" + pid, "set " + result.changed());
            return null;
        });
        configuration.update(result.properties());
        LOG.info("云命令修改了配置 {}：{} / Cloud command {} changed configuration {}: {}", pid,
                result.changed().keySet(), command.requestId(), pid, result.changed().keySet());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pid", pid);
        body.put("changed", result.changed());
        return CommandResult.ok(body);
    }

    /** The attributes of the PID's object class definition in whichever bundle declares it, or null. */
    private Map<String, AttributeDefinition> attributes(String pid) {
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info == null || !Arrays.asList(info.getPids()).contains(pid)) {
                continue;
            }
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            if (ads == null) {
                continue;
            }
            Map<String, AttributeDefinition> out = new LinkedHashMap<>();
            for (AttributeDefinition ad : ads) {
                out.put(ad.getID(), ad);
            }
            return out;
        }
        return null;
    }
}
