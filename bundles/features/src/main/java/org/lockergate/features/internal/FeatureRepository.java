package org.lockergate.features.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.lockergate.features.FeatureException;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * Reads feature files from a folder and resolves their bundles against a Maven-layout repository folder.
 * Used by the launcher (outside the framework) and by the feature manager (inside it).
 */
public final class FeatureRepository {

    /** Bundle metadata key giving the start level, as in Apache Sling's feature files. */
    static final String START_ORDER = "start-order";

    /** The feature file inside a remotely installed feature's folder; its bundles are in {@code repository/}. */
    public static final String REMOTE_FEATURE_FILE = "feature.json";
    public static final String REMOTE_REPOSITORY = "repository";

    private final Path featuresDir;
    private final Path systemDir;
    private final Path remoteDir;
    private final FeatureService reader = new FeatureServiceImpl();

    public FeatureRepository(Path featuresDir, Path systemDir) {
        this(featuresDir, systemDir, null);
    }

    /**
     * @param remoteDir the folder of features installed from outside the distribution (management, signed
     *     archives): one subfolder per feature holding {@value #REMOTE_FEATURE_FILE} and a Maven-layout
     *     {@value #REMOTE_REPOSITORY} folder; null when there is none
     */
    public FeatureRepository(Path featuresDir, Path systemDir, Path remoteDir) {
        this.featuresDir = featuresDir;
        this.systemDir = systemDir;
        this.remoteDir = remoteDir;
    }

    /** Short names of the features installed from outside the distribution, sorted. */
    public List<String> remoteNames() {
        if (remoteDir == null || !Files.isDirectory(remoteDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(remoteDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(REMOTE_FEATURE_FILE)))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Short names of the feature files in the features folder, sorted. */
    public List<String> names() {
        if (!Files.isDirectory(featuresDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(featuresDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Reads a feature by short name from the features folder, or from a path to a {@code .json} file.
     *
     * @throws FeatureException naming the file when it is missing, not valid feature JSON, or names a bundle
     *     that is not in the system repository
     */
    public FeatureDescriptor read(String nameOrPath) throws FeatureException {
        Path file = nameOrPath.endsWith(".json") ? Path.of(nameOrPath) : featuresDir.resolve(nameOrPath + ".json");
        String name;
        Path ownRepository = null;
        if (!Files.isRegularFile(file) && remoteDir != null && !nameOrPath.endsWith(".json")
                && Files.isRegularFile(remoteDir.resolve(nameOrPath).resolve(REMOTE_FEATURE_FILE))) {
            // installed remotely: its bundles came in the same signed archive
            file = remoteDir.resolve(nameOrPath).resolve(REMOTE_FEATURE_FILE);
            ownRepository = file.resolveSibling(REMOTE_REPOSITORY);
            name = nameOrPath;
        } else {
            String fileName = file.getFileName().toString();
            name = fileName.substring(0, fileName.length() - ".json".length());
        }
        if (!Files.isRegularFile(file)) {
            throw new FeatureException("功能描述文件不存在 / Feature file not found: " + file + " (available: "
                    + String.join(", ", names()) + ")");
        }
        Feature feature = parse(file);

        List<FeatureDescriptor.BundleRef> bundles = new ArrayList<>();
        for (FeatureBundle bundle : feature.getBundles()) {
            ID id = bundle.getID();
            Path jar = systemDir.resolve(repositoryPath(id));
            if (!Files.isRegularFile(jar) && ownRepository != null) {
                Path own = ownRepository.resolve(repositoryPath(id)).normalize();
                if (!own.startsWith(ownRepository.normalize())) {
                    throw new FeatureException("功能描述文件无效 / Invalid feature file " + file + ": bundle id "
                            + coordinates(id) + " points outside the feature's repository");
                }
                jar = own;
            }
            if (!Files.isRegularFile(jar)) {
                throw new FeatureException("功能 " + name + " 需要的 bundle 缺失 / Feature " + name + " ("
                        + file + ") needs bundle " + coordinates(id) + " but " + jar + " does not exist");
            }
            bundles.add(new FeatureDescriptor.BundleRef(coordinates(id), jar, startOrder(bundle, file)));
        }
        Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
        for (FeatureConfiguration configuration : feature.getConfigurations().values()) {
            configurations.put(configuration.getPid(), new LinkedHashMap<>(configuration.getValues()));
        }
        String title = feature.getName().orElse(name);
        boolean core = feature.getCategories().contains("core");
        return new FeatureDescriptor(feature.getID().toString(), name, title, core, bundles, configurations);
    }

    private Feature parse(Path file) throws FeatureException {
        // jakarta.json finds its provider through the context class loader: make it ours, in or out of OSGi.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(FeatureRepository.class.getClassLoader());
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return reader.readFeature(in);
        } catch (IOException | RuntimeException e) {
            throw new FeatureException("功能描述文件无效 / Invalid feature file " + file + ": " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static int startOrder(FeatureBundle bundle, Path file) throws FeatureException {
        Object value = bundle.getMetadata().get(START_ORDER);
        if (value == null) {
            return 0;
        }
        try {
            int order = Integer.parseInt(value.toString().trim());
            if (order < 1) {
                throw new NumberFormatException();
            }
            return order;
        } catch (NumberFormatException e) {
            throw new FeatureException("Invalid feature file " + file + ": " + START_ORDER + " of "
                    + coordinates(bundle.getID()) + " must be a positive integer, not '" + value + "'");
        }
    }

    static String coordinates(ID id) {
        return id.getGroupId() + ":" + id.getArtifactId() + ":" + id.getVersion();
    }

    /** The Maven repository path of an artifact, e.g. {@code org/apache/felix/x/1.0/x-1.0.jar}. */
    static String repositoryPath(ID id) {
        String type = id.getType().orElse("jar");
        String classifier = id.getClassifier().map(c -> "-" + c).orElse("");
        return id.getGroupId().replace('.', '/') + "/" + id.getArtifactId() + "/" + id.getVersion() + "/"
                + id.getArtifactId() + "-" + id.getVersion() + classifier + "." + type;
    }

    /** Checks feature files from the command line: {@code java -jar features.jar FEATURES_DIR SYSTEM_DIR}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: FeatureRepository <features-dir> <system-dir>");
            System.exit(2);
        }
        FeatureRepository repository = new FeatureRepository(Path.of(args[0]), Path.of(args[1]));
        int failures = 0;
        for (String name : repository.names()) {
            try {
                FeatureDescriptor feature = repository.read(name);
                System.out.printf("%-12s %-4s %2d bundles  %s%n", name, feature.core() ? "core" : "", 
                        feature.bundles().size(), feature.title());
            } catch (FeatureException e) {
                failures++;
                System.out.println(e.getMessage());
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
