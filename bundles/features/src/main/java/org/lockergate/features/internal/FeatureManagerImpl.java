package org.lockergate.features.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lockergate.features.FeatureException;
import org.lockergate.features.FeatureManager;
import org.lockergate.features.InstalledFeature;
import org.lockergate.features.InstalledFeature.FeatureBundle;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which features run, applies their default configurations, and installs or removes features at run time.
 * The launcher installs the bundles of the features provisioned at start (it must, to start the framework
 * services this component needs); this component takes over from there.
 */
@Component(service = FeatureManager.class)
public class FeatureManagerImpl implements FeatureManager {

    /** Framework property set by the launcher: the features it provisioned, comma-separated. */
    public static final String PROVISIONED = "lockergate.features";
    public static final String HOME = "lockergate.home";
    public static final String DATA = "lockergate.data";

    private static final Logger LOG = LoggerFactory.getLogger(FeatureManagerImpl.class);

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final FeatureRepository repository;
    private final Path dataDir;
    private final Map<String, InstalledFeature> installed = new LinkedHashMap<>();

    @Activate
    public FeatureManagerImpl(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
        Path home = Path.of(property(HOME, "."));
        this.dataDir = Path.of(property(DATA, home.resolve("data").toString()));
        this.repository = new FeatureRepository(Path.of(property("lockergate.features.dir",
                home.resolve("features").toString())), Path.of(property("lockergate.system.dir",
                home.resolve("system").toString())), FeatureState.remoteFolder(dataDir));
        for (String name : FeatureState.split(property(PROVISIONED, ""))) {
            try {
                FeatureDescriptor descriptor = repository.read(name);
                applyConfigurations(descriptor);
                installed.put(name, describe(descriptor));
            } catch (FeatureException e) {
                // the launcher already reported the file; keep going with the other features
                LOG.error("{}", e.getMessage());
            }
        }
    }

    private String property(String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public synchronized List<InstalledFeature> installed() {
        // bundle ids may have changed (a bundle updated or reinstalled by hand): describe afresh
        List<InstalledFeature> result = new ArrayList<>();
        for (InstalledFeature feature : installed.values()) {
            result.add(refresh(feature));
        }
        return result;
    }

    @Override
    public List<String> available() {
        List<String> names = new ArrayList<>(repository.names());
        repository.remoteNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    @Override
    public Path remoteFeatures() {
        return FeatureState.remoteFolder(dataDir);
    }

    @Override
    public synchronized InstalledFeature install(String nameOrPath) throws FeatureException {
        FeatureDescriptor descriptor = repository.read(nameOrPath);
        if (installed.containsKey(descriptor.name())) {
            return refresh(installed.get(descriptor.name()));
        }
        LOG.info("正在安装功能 {} / Installing feature {} ({} bundles)", descriptor.name(), descriptor.name(),
                descriptor.bundles().size());
        List<Bundle> bundles = new ArrayList<>();
        List<Bundle> installedNow = new ArrayList<>();
        for (FeatureDescriptor.BundleRef ref : descriptor.bundles()) {
            String location = ref.jar().toUri().toString();
            Bundle bundle = context.getBundle(location);
            try {
                if (bundle == null) {
                    bundle = context.installBundle(location);
                    installedNow.add(bundle);
                    if (ref.startOrder() > 0) {
                        bundle.adapt(BundleStartLevel.class).setStartLevel(ref.startOrder());
                    }
                }
            } catch (BundleException e) {
                // all or nothing: the bundles this call installed go again
                for (Bundle b : installedNow) {
                    try {
                        b.uninstall();
                    } catch (BundleException | IllegalStateException ignored) {
                        LOG.warn("Feature {}: cannot remove {} again: {}", descriptor.name(), b.getSymbolicName(),
                                ignored.getMessage());
                    }
                }
                throw new FeatureException("功能 " + descriptor.name() + " 的 bundle 无法安装 / Feature "
                        + descriptor.name() + ": cannot install " + ref.coordinates() + ": " + e.getMessage(), e);
            }
            bundles.add(bundle);
        }
        applyConfigurations(descriptor);
        List<String> failed = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                failed.add(bundle.getSymbolicName() + ": " + e.getMessage());
            }
        }
        InstalledFeature feature = describe(descriptor);
        installed.put(descriptor.name(), feature);
        record(descriptor.name(), true);
        if (!failed.isEmpty()) {
            throw new FeatureException("功能 " + descriptor.name() + " 已安装但部分 bundle 未启动 / Feature "
                    + descriptor.name() + " installed, but these bundles did not start: " + String.join("; ", failed));
        }
        LOG.info("功能 {} 已安装 / Feature {} installed", descriptor.name(), descriptor.name());
        return feature;
    }

    @Override
    public synchronized void uninstall(String name) throws FeatureException {
        InstalledFeature feature = installed.get(name);
        if (feature == null) {
            throw new FeatureException("功能未安装 / Feature not installed: " + name + " (installed: "
                    + String.join(", ", installed.keySet()) + ")");
        }
        if (feature.bundles().stream().anyMatch(b -> b.bundleId() == context.getBundle().getBundleId())) {
            throw new FeatureException("Feature " + name + " contains the feature manager itself and cannot be removed");
        }
        Set<String> stillNeeded = installed.values().stream()
                .filter(f -> !f.name().equals(name))
                .flatMap(f -> f.bundles().stream())
                .map(FeatureBundle::coordinates)
                .collect(Collectors.toSet());
        List<Bundle> removed = new ArrayList<>();
        for (FeatureBundle fb : refresh(feature).bundles()) {
            Bundle bundle = context.getBundle(fb.bundleId());
            if (bundle == null || stillNeeded.contains(fb.coordinates())) {
                continue;
            }
            try {
                bundle.uninstall();
                removed.add(bundle);
            } catch (BundleException e) {
                LOG.error("Feature {}: cannot uninstall {}: {}", name, bundle.getSymbolicName(), e.getMessage());
            }
        }
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(removed);
        installed.remove(name);
        record(name, false);
        LOG.info("功能 {} 已移除 / Feature {} removed ({} bundles uninstalled)", name, name, removed.size());
    }

    private void record(String name, boolean installedNow) {
        try {
            FeatureState state = FeatureState.load(dataDir);
            if (installedNow) {
                state.recordInstalled(name);
            } else {
                state.recordUninstalled(name);
            }
        } catch (IOException e) {
            LOG.error("Cannot record feature change in {}: {} — it will not survive a restart",
                    dataDir.resolve("features"), e.getMessage());
        }
    }

    /** Creates each default configuration that does not exist yet, so an operator's settings always win. */
    private void applyConfigurations(FeatureDescriptor descriptor) {
        for (Map.Entry<String, Map<String, Object>> entry : descriptor.configurations().entrySet()) {
            String pid = entry.getKey();
            try {
                int tilde = pid.indexOf('~');
                Configuration configuration = tilde < 0
                        ? configAdmin.getConfiguration(pid, "?")
                        : configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
                if (configuration.getProperties() == null) {
                    Dictionary<String, Object> values = new Hashtable<>(entry.getValue());
                    configuration.update(values);
                    LOG.debug("Feature {}: default configuration {} created", descriptor.name(), pid);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("Feature {}: cannot apply configuration {}: {}", descriptor.name(), pid, e.getMessage());
            }
        }
    }

    private InstalledFeature describe(FeatureDescriptor descriptor) {
        List<FeatureBundle> bundles = new ArrayList<>();
        for (FeatureDescriptor.BundleRef ref : descriptor.bundles()) {
            Bundle bundle = context.getBundle(ref.jar().toUri().toString());
            bundles.add(new FeatureBundle(ref.coordinates(), bundle == null ? null : bundle.getSymbolicName(),
                    bundle == null ? -1 : bundle.getBundleId()));
        }
        return new InstalledFeature(descriptor.id(), descriptor.name(), descriptor.title(), descriptor.core(),
                bundles, List.copyOf(descriptor.configurations().keySet()));
    }

    private InstalledFeature refresh(InstalledFeature feature) {
        try {
            return describe(repository.read(feature.name()));
        } catch (FeatureException e) {
            return feature;
        }
    }

    /** Bundles of installed features, for callers in this package. */
    Collection<InstalledFeature> snapshot() {
        return List.copyOf(installed.values());
    }
}
