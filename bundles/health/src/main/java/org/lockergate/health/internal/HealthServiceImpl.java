package org.lockergate.health.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.lockergate.features.FeatureManager;
import org.lockergate.features.InstalledFeature;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.lockergate.health.HealthReport;
import org.lockergate.health.HealthService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Health as DESIGN.md §3 defines it: the bundles of the provisioned core features ACTIVE, their components
 * satisfied, the data folder usable, plus every registered {@link HealthContributor}. Optional features
 * (vendors) and the {@code deploy/} folder are reported but never make the gateway DOWN.
 */
@Component(service = HealthService.class, configurationPid = "org.lockergate.health")
@Designate(ocd = HealthServiceImpl.Config.class)
public class HealthServiceImpl implements HealthService {

    @ObjectClassDefinition(name = "LockerGate health", description = "What makes the gateway DOWN")
    public @interface Config {
        @AttributeDefinition(name = "Minimum free disk (MB)",
                description = "Below this much free space in the data folder the gateway is DOWN")
        long minFreeDiskMb() default 64;
    }

    private final BundleContext context;
    private final FeatureManager features;
    private final ServiceComponentRuntime scr;
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();
    private final Path dataDir;
    private final Path deployDir;
    private final long minFreeBytes;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public HealthServiceImpl(BundleContext context, @Reference FeatureManager features,
            @Reference ServiceComponentRuntime scr, Config config) {
        this.context = context;
        this.features = features;
        this.scr = scr;
        String home = property("lockergate.home", ".");
        this.dataDir = Path.of(property("lockergate.data", Path.of(home, "data").toString()));
        this.deployDir = Path.of(property("lockergate.deploy", Path.of(home, "deploy").toString()));
        this.minFreeBytes = config.minFreeDiskMb() * 1024 * 1024;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    private String property(String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public HealthReport check() {
        List<InstalledFeature> installed = features.installed();
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(coreBundles(installed));
        checks.add(coreComponents(installed));
        checks.add(disk());
        for (HealthContributor contributor : contributors) {
            checks.add(safely(contributor));
        }
        checks.add(optionalFeatures(installed));
        checks.add(deployFolder());
        return HealthReport.of(clock.instant(), checks);
    }

    private HealthCheck coreBundles(List<InstalledFeature> installed) {
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (InstalledFeature feature : installed) {
            if (!feature.core()) {
                continue;
            }
            for (InstalledFeature.FeatureBundle fb : feature.bundles()) {
                count++;
                Bundle bundle = fb.bundleId() < 0 ? null : context.getBundle(fb.bundleId());
                if (bundle == null) {
                    problems.add(fb.coordinates() + " (feature " + feature.name() + ") is not installed");
                } else if (!running(bundle)) {
                    problems.add(bundle.getSymbolicName() + " (feature " + feature.name() + ") is "
                            + BundleStates.name(bundle.getState()));
                }
            }
        }
        Map<String, Object> details = Map.of("coreBundles", count, "problems", problems);
        return problems.isEmpty()
                ? HealthCheck.up("bundles", true, count + " core bundles active", details)
                : HealthCheck.down("bundles", true, "核心 bundle 未运行 / Core bundles not active: "
                        + String.join("; ", problems), details);
    }

    private HealthCheck coreComponents(List<InstalledFeature> installed) {
        List<String> problems = new ArrayList<>();
        int active = 0;
        for (InstalledFeature feature : installed) {
            if (!feature.core()) {
                continue;
            }
            for (InstalledFeature.FeatureBundle fb : feature.bundles()) {
                Bundle bundle = fb.bundleId() < 0 ? null : context.getBundle(fb.bundleId());
                if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
                    continue; // already reported by the bundle check
                }
                for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                    if (!scr.isComponentEnabled(description)) {
                        continue;
                    }
                    for (ComponentConfigurationDTO component : scr.getComponentConfigurationDTOs(description)) {
                        switch (component.state) {
                            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> problems.add(description.name
                                    + " waits for " + unsatisfied(component));
                            case ComponentConfigurationDTO.FAILED_ACTIVATION -> problems.add(description.name
                                    + " failed to activate: " + firstLine(component.failure));
                            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> { }
                            default -> active++;
                        }
                    }
                }
            }
        }
        Map<String, Object> details = Map.of("components", active, "problems", problems);
        return problems.isEmpty()
                ? HealthCheck.up("components", true, active + " components satisfied", details)
                : HealthCheck.down("components", true, "组件未就绪 / Components not satisfied: "
                        + String.join("; ", problems), details);
    }

    private static String unsatisfied(ComponentConfigurationDTO component) {
        List<String> names = new ArrayList<>();
        for (UnsatisfiedReferenceDTO ref : component.unsatisfiedReferences) {
            names.add(ref.name + (ref.target == null ? "" : " " + ref.target));
        }
        return String.join(", ", names);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).trim();
    }

    private HealthCheck disk() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", dataDir.toString());
        if (!Files.isDirectory(dataDir)) {
            return HealthCheck.down("disk", true, "数据目录不存在 / Data folder missing: " + dataDir, details);
        }
        try {
            Path probe = Files.createTempFile(dataDir, ".health", ".tmp");
            Files.delete(probe);
            long free = Files.getFileStore(dataDir).getUsableSpace();
            details.put("freeBytes", free);
            details.put("minFreeBytes", minFreeBytes);
            if (free < minFreeBytes) {
                return HealthCheck.down("disk", true, "磁盘空间不足 / Disk almost full: " + (free >> 20)
                        + " MB free in " + dataDir, details);
            }
            return HealthCheck.up("disk", true, (free >> 20) + " MB free in " + dataDir, details);
        } catch (IOException e) {
            return HealthCheck.down("disk", true, "数据目录不可写 / Data folder not writable: " + dataDir + ": "
                    + e.getMessage(), details);
        }
    }

    private HealthCheck safely(HealthContributor contributor) {
        try {
            HealthCheck check = contributor.check();
            if (check != null) {
                return check;
            }
            return HealthCheck.down(contributor.getClass().getName(), true, "health check returned nothing", null);
        } catch (RuntimeException e) {
            return HealthCheck.down(contributor.getClass().getName(), true, "health check failed: " + e, null);
        }
    }

    private HealthCheck optionalFeatures(List<InstalledFeature> installed) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (InstalledFeature feature : installed) {
            if (feature.core()) {
                continue;
            }
            Map<String, String> states = new LinkedHashMap<>();
            for (InstalledFeature.FeatureBundle fb : feature.bundles()) {
                Bundle bundle = fb.bundleId() < 0 ? null : context.getBundle(fb.bundleId());
                states.put(fb.coordinates(), bundle == null ? "MISSING" : BundleStates.name(bundle.getState()));
            }
            details.put(feature.name(), states);
        }
        return HealthCheck.up("features", false, details.size() + " optional features", details);
    }

    /** Reports what lies in deploy/ and why a file there is not running; never DOWN. */
    private HealthCheck deployFolder() {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (Files.isDirectory(deployDir)) {
            try (Stream<Path> files = Files.list(deployDir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".jar")) {
                        continue;
                    }
                    String state = deployedState(file);
                    details.put(name, state);
                    if (!state.equals("ACTIVE")) {
                        problems.add(name + ": " + state);
                    }
                }
            } catch (IOException e) {
                problems.add("cannot list " + deployDir + ": " + e.getMessage());
            }
        }
        String message = problems.isEmpty() ? details.size() + " bundles in " + deployDir
                : "deploy/ 中有未运行的 bundle / Bundles in deploy/ not running: " + String.join("; ", problems);
        return HealthCheck.up("deploy", false, message, details);
    }

    private String deployedState(Path file) {
        Bundle bundle = findByFile(file);
        if (bundle == null) {
            return "NOT INSTALLED (not a valid bundle, or not picked up yet)";
        }
        if (bundle.getState() == Bundle.INSTALLED) {
            List<String> missing = missingRequirements(bundle);
            return "INSTALLED (unresolved" + (missing.isEmpty() ? ")" : ": missing " + String.join(", ", missing) + ")");
        }
        return BundleStates.name(bundle.getState());
    }

    private Bundle findByFile(Path file) {
        String uri = file.toUri().toString();
        String path = file.toAbsolutePath().normalize().toString();
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            if (location.equals(uri) || location.endsWith(path) || location.equals("file:" + path)) {
                return bundle;
            }
        }
        return null;
    }

    private List<String> missingRequirements(Bundle bundle) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (revision == null) {
            return missing;
        }
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String resolution = requirement.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
            if (Constants.RESOLUTION_OPTIONAL.equals(resolution)) {
                continue;
            }
            if (wiring.findProviders(requirement).isEmpty()) {
                Object pkg = requirement.getNamespace().equals(PackageNamespace.PACKAGE_NAMESPACE)
                        ? requirement.getDirectives().get("filter") : requirement.toString();
                missing.add(String.valueOf(pkg));
            }
        }
        return missing;
    }

    private static boolean running(Bundle bundle) {
        boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        return bundle.getState() == Bundle.ACTIVE || (fragment && bundle.getState() == Bundle.RESOLVED);
    }
}
