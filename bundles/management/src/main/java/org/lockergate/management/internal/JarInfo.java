package org.lockergate.management.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.osgi.framework.Version;

/** What the manifest of a jar says it is; refuses anything that is not an OSGi bundle before the framework sees it. */
record JarInfo(String symbolicName, Version version) {

    static JarInfo read(byte[] content, String what) throws ManagementException {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(content))) {
            manifest = jar.getManifest();
        } catch (IOException | RuntimeException e) {
            throw notABundle(what, "not a jar (" + e.getMessage() + ")");
        }
        if (manifest == null) {
            throw notABundle(what, "a jar without META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw notABundle(what, "no Bundle-SymbolicName in its manifest");
        }
        bsn = bsn.split(";", 2)[0].strip();
        Version version;
        try {
            String v = main.getValue("Bundle-Version");
            version = v == null ? Version.emptyVersion : Version.parseVersion(v.strip());
        } catch (IllegalArgumentException e) {
            throw notABundle(what, "an invalid Bundle-Version (" + e.getMessage() + ")");
        }
        return new JarInfo(bsn, version);
    }

    private static ManagementException notABundle(String what, String why) {
        return new ManagementException(Kind.BAD_REQUEST, "artifact.not_a_bundle",
                "不是 OSGi 软件包 / " + what + " is not an OSGi bundle: " + why);
    }
}
