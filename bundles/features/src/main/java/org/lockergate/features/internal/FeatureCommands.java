package org.lockergate.features.internal;

import java.util.stream.Collectors;
import org.lockergate.features.FeatureException;
import org.lockergate.features.FeatureManager;
import org.lockergate.features.InstalledFeature;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands: {@code feature:list}, {@code feature:available}, {@code feature:install}, {@code feature:uninstall}. */
@Component(service = FeatureCommands.class, property = {
    "osgi.command.scope=feature",
    "osgi.command.function=list",
    "osgi.command.function=available",
    "osgi.command.function=install",
    "osgi.command.function=uninstall"
})
public class FeatureCommands {

    private final FeatureManager features;
    private final BundleContext context;

    @Activate
    public FeatureCommands(@Reference FeatureManager features, BundleContext context) {
        this.features = features;
        this.context = context;
    }

    /** Lists installed features with the state of each bundle. */
    public String list() {
        StringBuilder out = new StringBuilder();
        for (InstalledFeature feature : features.installed()) {
            out.append(String.format("%-12s %-4s %s%n", feature.name(), feature.core() ? "core" : "", feature.title()));
            for (InstalledFeature.FeatureBundle fb : feature.bundles()) {
                Bundle bundle = fb.bundleId() < 0 ? null : context.getBundle(fb.bundleId());
                out.append(String.format("    %4s  %-9s %s%n", bundle == null ? "-" : String.valueOf(fb.bundleId()),
                        bundle == null ? "MISSING" : state(bundle), fb.coordinates()));
            }
        }
        return out.toString();
    }

    public String available() {
        return features.available().stream().collect(Collectors.joining("\n"));
    }

    public String install(String nameOrPath) throws FeatureException {
        InstalledFeature feature = features.install(nameOrPath);
        return "功能已安装 / Installed feature " + feature.name() + " (" + feature.bundles().size() + " bundles)";
    }

    public String uninstall(String name) throws FeatureException {
        features.uninstall(name);
        return "功能已移除 / Removed feature " + name;
    }

    static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
