package org.lockergate.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small bundle jars for the tests: a valid one, one that cannot resolve, and a file that is no jar at all. */
public final class TestBundles {

    private TestBundles() {
    }

    /** A bundle with only a manifest: installs and starts, nothing else. */
    public static Path write(Path jar, String symbolicName, String version, Map<String, String> extraHeaders)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "LockerGate test bundle " + symbolicName);
        extraHeaders.forEach(main::putValue);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        // write beside and move, so a watcher never sees half a jar
        Path tmp = jar.resolveSibling(jar.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
        }
        return Files.move(tmp, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A bundle jar's bytes with the given headers and, optionally, classes copied from the test's class path. */
    public static byte[] bytes(String symbolicName, String version, Map<String, String> headers, Class<?>... classes)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        headers.forEach(main::putValue);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Class<?> type : classes) {
                String name = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new java.util.jar.JarEntry(name));
                try (java.io.InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A bundle importing a package nobody exports: installs, never resolves. */
    public static Path writeUnresolvable(Path jar, String symbolicName) throws IOException {
        return write(jar, symbolicName, "1.0.0", Map.of("Import-Package", "org.example.nowhere;version=\"[1,2)\""));
    }

    /** Bytes that are not a jar at all. */
    public static Path writeGarbage(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".part");
        Files.write(tmp, "this is not a bundle".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Files.move(tmp, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
