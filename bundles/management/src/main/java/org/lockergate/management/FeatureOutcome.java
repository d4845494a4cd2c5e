package org.lockergate.management;

import java.util.List;

/**
 * The end of a feature operation.
 *
 * @param name the feature, e.g. {@code vendor-kerong}
 * @param bundles the symbolic names of the bundles it brought (empty after an uninstall)
 * @param rolledBack whether a failed install was removed again
 * @param message what happened, for the operator (zh-CN / English)
 */
public record FeatureOutcome(String name, List<String> bundles, boolean rolledBack, String message) {

    public FeatureOutcome {
        bundles = List.copyOf(bundles);
    }
}
