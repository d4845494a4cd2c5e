package org.lockergate.core.internal.registry;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One configured courier company (seeded from configuration; R0: later synced from the cloud). */
@Component(service = CompanyEntry.class, configurationPid = CompanyEntry.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CompanyEntry.Config.class, factory = true)
public class CompanyEntry {

    public static final String FACTORY_PID = "org.lockergate.core.company";

    @ObjectClassDefinition(name = "LockerGate courier company")
    public @interface Config {
        @AttributeDefinition(name = "Code", description = "e.g. ZTO, JT, YUNDA")
        String code();

        @AttributeDefinition(name = "Name", description = "e.g. 中通快递")
        String name();

        @AttributeDefinition(name = "Funding share (%)", min = "0", max = "100")
        int fundingSharePercent() default 0;
    }

    private final Definitions.Company company;

    @Activate
    public CompanyEntry(Config config) {
        String code = Definitions.text(config.code());
        if (code == null) {
            throw new IllegalArgumentException(FACTORY_PID + ": code is required");
        }
        String name = Definitions.text(config.name());
        this.company = new Definitions.Company(code, name == null ? code : name,
                Math.max(0, Math.min(100, config.fundingSharePercent())));
    }

    public Definitions.Company company() {
        return company;
    }
}
