package org.lockergate.core.internal.registry;

import org.lockergate.api.model.GroupInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One configured cabinet group (R21), registered for the core to write into {@code cabinet_group}. */
@Component(service = GroupEntry.class, configurationPid = GroupEntry.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = GroupEntry.Config.class, factory = true)
public class GroupEntry {

    public static final String FACTORY_PID = "org.lockergate.core.group";

    @ObjectClassDefinition(name = "LockerGate cabinet group", description = "A cabinet group and its registry data (R21).")
    public @interface Config {
        @AttributeDefinition(name = "Group id", description = "Stable id, e.g. g1")
        String groupId();

        @AttributeDefinition(name = "Name", description = "The locker's name shown to residents")
        String name();

        @AttributeDefinition(name = "Community", required = false)
        String community() default "";

        @AttributeDefinition(name = "Address", required = false)
        String address() default "";

        @AttributeDefinition(name = "Latitude (WGS-84)", required = false)
        String latitude() default "";

        @AttributeDefinition(name = "Longitude (WGS-84)", required = false)
        String longitude() default "";

        @AttributeDefinition(name = "Postal filing number", required = false)
        String postalFilingNumber() default "";

        @AttributeDefinition(name = "Property contact", required = false)
        String propertyContact() default "";

        @AttributeDefinition(name = "Emergency contact", required = false)
        String emergencyContact() default "";

        @AttributeDefinition(name = "Service station",
                description = "Where parcels go when no other group can take them (R11, R22)", required = false)
        String stationName() default "";
    }

    private final Definitions.Group group;

    @Activate
    public GroupEntry(Config config) {
        String id = Definitions.text(config.groupId());
        if (id == null) {
            throw new IllegalArgumentException(FACTORY_PID + ": groupId is required");
        }
        String name = Definitions.text(config.name());
        this.group = new Definitions.Group(id, name == null ? id : name,
                new GroupInfo(Definitions.text(config.community()), Definitions.text(config.address()),
                        Definitions.coordinate(config.latitude()), Definitions.coordinate(config.longitude()),
                        Definitions.text(config.postalFilingNumber()), Definitions.text(config.propertyContact()),
                        Definitions.text(config.emergencyContact())),
                Definitions.text(config.stationName()));
    }

    public Definitions.Group group() {
        return group;
    }
}
