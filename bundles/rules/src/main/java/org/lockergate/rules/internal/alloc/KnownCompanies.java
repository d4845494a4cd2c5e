package org.lockergate.rules.internal.alloc;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The courier companies the gateway knows: the codes of the core's {@code org.lockergate.core.company} factory
 * configurations (R0; the documented configuration contract, so no core internals are needed). Empty when that
 * cannot be known (no ConfigurationAdmin, no company configured yet): then shares are not checked against it.
 */
interface KnownCompanies {

    String FACTORY_PID = "org.lockergate.core.company";

    Set<String> codes();

    KnownCompanies UNKNOWN = Set::of;

    static KnownCompanies of(Supplier<ConfigurationAdmin> admin) {
        return () -> {
            ConfigurationAdmin ca = admin.get();
            if (ca == null) {
                return Set.of();
            }
            Set<String> codes = new TreeSet<>();
            try {
                Configuration[] configs = ca.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
                if (configs != null) {
                    for (Configuration c : configs) {
                        Object code = c.getProperties() == null ? null : c.getProperties().get("code");
                        if (code != null && !code.toString().isBlank()) {
                            codes.add(code.toString().trim());
                        }
                    }
                }
            } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
                return Set.of();
            }
            return codes;
        };
    }
}
