package org.lockergate.core.internal.registry;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One configured courier (seeded from configuration; R0: later synced from the cloud). */
@Component(service = CourierEntry.class, configurationPid = CourierEntry.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CourierEntry.Config.class, factory = true)
public class CourierEntry {

    public static final String FACTORY_PID = "org.lockergate.core.courier";

    @ObjectClassDefinition(name = "LockerGate courier")
    public @interface Config {
        @AttributeDefinition(name = "Courier id", description = "e.g. ZTO-0421")
        String courierId();

        @AttributeDefinition(name = "Company code")
        String company();

        @AttributeDefinition(name = "Name", required = false)
        String name() default "";

        @AttributeDefinition(name = "PIN hash", description = "Argon2id PHC string of the 6-digit PIN "
                + "(identity:hash in the shell, or the PasswordTool)")
        String pinHash();

        @AttributeDefinition(name = "Active")
        boolean active() default true;
    }

    private final Definitions.Courier courier;

    @Activate
    public CourierEntry(Config config) {
        String id = Definitions.text(config.courierId());
        String company = Definitions.text(config.company());
        String hash = Definitions.text(config.pinHash());
        if (id == null || company == null || hash == null) {
            throw new IllegalArgumentException(FACTORY_PID + ": courierId, company and pinHash are required");
        }
        this.courier = new Definitions.Courier(id, company, Definitions.text(config.name()), hash, config.active());
    }

    public Definitions.Courier courier() {
        return courier;
    }
}
