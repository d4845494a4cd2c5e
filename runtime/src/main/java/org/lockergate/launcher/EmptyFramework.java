package org.lockergate.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** The benchmark's baseline: starts an empty Felix framework and prints how long it took, in ms. */
public final class EmptyFramework {

    private EmptyFramework() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path storage = Files.createTempDirectory("felix-empty");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("Empty Felix ready in " + ms + " ms");
        framework.stop();
        framework.waitForStop(10_000);
    }
}
