package org.lockergate.features.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The operator's changes to the provisioned features, kept in {@code {data}/features/state.properties}: features
 * added and removed at run time on top of the list in {@code conf/lockergate.properties}. The launcher applies it
 * at the next start, so a feature installed from the shell stays installed.
 */
public final class FeatureState {

    private final Path file;
    private final Set<String> added = new LinkedHashSet<>();
    private final Set<String> removed = new LinkedHashSet<>();

    private FeatureState(Path file) {
        this.file = file;
    }

    /** Where features installed from signed archives live: {@code {data}/features/remote/{name}/}. */
    public static Path remoteFolder(Path dataDir) {
        return dataDir.resolve("features").resolve("remote");
    }

    public static FeatureState load(Path dataDir) throws IOException {
        FeatureState state = new FeatureState(dataDir.resolve("features").resolve("state.properties"));
        if (Files.isRegularFile(state.file)) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(state.file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
            state.added.addAll(split(props.getProperty("added", "")));
            state.removed.addAll(split(props.getProperty("removed", "")));
        }
        return state;
    }

    /** The configured features with the run-time changes applied, in order. */
    public List<String> effective(List<String> configured) {
        Set<String> result = new LinkedHashSet<>(configured);
        result.addAll(added);
        result.removeAll(removed);
        return new ArrayList<>(result);
    }

    public void recordInstalled(String name) throws IOException {
        removed.remove(name);
        added.add(name);
        save();
    }

    public void recordUninstalled(String name) throws IOException {
        added.remove(name);
        removed.add(name);
        save();
    }

    private void save() throws IOException {
        Files.createDirectories(file.getParent());
        Properties props = new Properties();
        props.setProperty("added", String.join(",", added));
        props.setProperty("removed", String.join(",", removed));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(out, "Features installed or removed at run time (managed by LockerGate, do not edit)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Splits a comma-separated list, trimming blanks. */
    public static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
