package org.lockergate.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned migration, {@code V{version}__{name}.sql}.
 *
 * @param version from the file name, 1, 2, 3 …
 * @param name the part after {@code __}, without {@code .sql}
 * @param sql the script
 */
record Migration(int version, String name, String sql) {

    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_\\-]+)\\.sql");

    /** SHA-256 (hex) of the script with line ends normalised, so a checkout with CRLF does not count as a change. */
    String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String fileName() {
        return "V" + version + "__" + name + ".sql";
    }

    /** Parses {@code V12__add_thing.sql}; null when the name is not a migration. */
    static Migration parse(String fileName, String sql) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql);
    }
}
