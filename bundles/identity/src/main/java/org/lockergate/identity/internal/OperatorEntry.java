package org.lockergate.identity.internal;

import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One operator factory configuration. It validates its configuration and hands the account to the directory; an
 * invalid one is refused with a single log line and the others keep working. A changed configuration deactivates
 * and reactivates this component (no modified method), which ends the operator's tokens.
 */
@Component(name = OperatorEntry.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = OperatorConfig.class, factory = true)
public class OperatorEntry {

    static final String FACTORY_PID = "org.lockergate.identity.user";

    private final OperatorDirectory directory;
    private final Logger log;
    private String pid;
    private boolean accepted;

    @Activate
    public OperatorEntry(@Reference(name = "directory") OperatorDirectory directory,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this.directory = directory;
        this.log = log;
    }

    @Activate
    void activate(OperatorConfig config, Map<String, Object> properties) {
        pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        try {
            directory.add(OperatorAccount.fromConfig(pid, config.username(), config.passwordHash(), config.roles(),
                    config.company()));
            accepted = true;
        } catch (InvalidOperatorException e) {
            log.error("Operator configuration {} refused: {}", pid, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        if (accepted) {
            directory.remove(pid);
        }
    }
}
