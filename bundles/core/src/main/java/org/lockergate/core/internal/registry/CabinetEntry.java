package org.lockergate.core.internal.registry;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A cabinet allowed to attach when {@code restrictRegistration} is on. */
@Component(service = CabinetEntry.class, configurationPid = CabinetEntry.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CabinetEntry.Config.class, factory = true)
public class CabinetEntry {

    public static final String FACTORY_PID = "org.lockergate.core.cabinet";

    @ObjectClassDefinition(name = "LockerGate allowed cabinet")
    public @interface Config {
        @AttributeDefinition(name = "Cabinet id")
        String cabinetId();

        @AttributeDefinition(name = "Group id")
        String groupId();
    }

    private final Definitions.Cabinet cabinet;

    @Activate
    public CabinetEntry(Config config) {
        String id = Definitions.text(config.cabinetId());
        String group = Definitions.text(config.groupId());
        if (id == null || group == null) {
            throw new IllegalArgumentException(FACTORY_PID + ": cabinetId and groupId are required");
        }
        this.cabinet = new Definitions.Cabinet(id, group);
    }

    public Definitions.Cabinet cabinet() {
        return cabinet;
    }
}
