package org.lockergate.api.report;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How often each compartment has been used (a deposit's door opened), from the store's per-compartment counter: for
 * spreading wear across compartments so it survives restarts. Implemented by the core.
 *
 * @since 1.1
 */
@ProviderType
public interface CompartmentUses {

    /** Uses per door label of the group's compartments (0 for a compartment never used). */
    Map<String, Long> uses(String groupId);
}
