package org.lockergate.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;

/** Where the migrations come from: the bundle's entries in the framework, the class path outside it. */
@FunctionalInterface
interface MigrationSource {

    /** The folder inside the bundle (and on the class path). */
    String FOLDER = "org/lockergate/store/migrations";

    List<Migration> migrations();

    /** The migrations shipped in a bundle (the framework case). */
    static MigrationSource bundle(Bundle bundle) {
        return () -> {
            List<Migration> out = new ArrayList<>();
            Enumeration<URL> entries = bundle.findEntries(FOLDER, "V*.sql", false);
            for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
                String path = url.getPath();
                add(out, path.substring(path.lastIndexOf('/') + 1), read(url));
            }
            return sorted(out);
        };
    }

    /** The migrations on a class loader's path, from a folder or a jar (tests, benchmark, tools). */
    static MigrationSource classpath(ClassLoader loader) {
        return () -> {
            URL folder = loader.getResource(FOLDER);
            if (folder == null) {
                return List.of();
            }
            List<Migration> out = new ArrayList<>();
            try {
                if ("file".equals(folder.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            add(out, f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                        }
                    }
                } else {
                    URLConnection connection = folder.openConnection();
                    if (!(connection instanceof JarURLConnection jar)) {
                        throw new IOException("cannot list migrations in " + folder);
                    }
                    jar.setUseCaches(false); // our own JarFile, so closing it leaves the class loader's alone
                    try (JarFile file = jar.getJarFile()) {
                        for (JarEntry e : Collections.list(file.entries())) {
                            String name = e.getName();
                            if (name.startsWith(FOLDER + "/") && name.indexOf('/', FOLDER.length() + 1) < 0) {
                                try (InputStream in = file.getInputStream(e)) {
                                    add(out, name.substring(FOLDER.length() + 1),
                                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            return sorted(out);
        };
    }

    /** A fixed list (tests). */
    static MigrationSource of(List<Migration> migrations) {
        return () -> sorted(new ArrayList<>(migrations));
    }

    private static void add(List<Migration> out, String fileName, String sql) {
        Migration m = Migration.parse(fileName, sql);
        if (m != null) {
            out.add(m);
        }
    }

    private static List<Migration> sorted(List<Migration> list) {
        list.sort(Comparator.comparingInt(Migration::version));
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).version() == list.get(i - 1).version()) {
                throw new IllegalStateException("two migrations with version " + list.get(i).version() + ": "
                        + list.get(i - 1).fileName() + ", " + list.get(i).fileName());
            }
        }
        return List.copyOf(list);
    }

    private static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
