package org.lockergate.identity.internal;

import java.util.Base64;

/**
 * An Argon2id hash in the PHC string format: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}.
 *
 * <p>The cost parameters travel with each hash, so they can be raised later while old hashes still verify.
 * Salt and hash are standard Base64 without padding, as the PHC format and the reference implementation use.
 */
record PhcHash(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    static final String ALGORITHM = "argon2id";
    static final int VERSION = 19; // Argon2 version 0x13

    // Bounds keep a hostile or mistyped configuration from costing gigabytes or minutes per login.
    static final int MAX_MEMORY_KIB = 1024 * 1024;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;
    static final int MIN_SALT_BYTES = 8;
    static final int MIN_HASH_BYTES = 16;
    static final int MAX_HASH_BYTES = 64;

    private static final Base64.Encoder B64_ENCODER = Base64.getEncoder().withoutPadding();

    /**
     * Parses a PHC string.
     *
     * @throws IllegalArgumentException with a reason that never repeats the hash itself
     */
    static PhcHash parse(String phc) {
        if (phc == null || phc.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        String[] parts = phc.strip().split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty()) {
            throw new IllegalArgumentException("expected $argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>");
        }
        if (!ALGORITHM.equals(parts[1])) {
            throw new IllegalArgumentException("algorithm must be argon2id");
        }
        if (!("v=" + VERSION).equals(parts[2])) {
            throw new IllegalArgumentException("version must be v=19");
        }
        int memory = -1;
        int iterations = -1;
        int parallelism = -1;
        for (String parameter : parts[3].split(",", -1)) {
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter '" + parameter + "' has no value");
            }
            String name = parameter.substring(0, eq);
            int value = number(name, parameter.substring(eq + 1));
            switch (name) {
                case "m" -> memory = once(name, memory, value);
                case "t" -> iterations = once(name, iterations, value);
                case "p" -> parallelism = once(name, parallelism, value);
                default -> throw new IllegalArgumentException("unknown parameter '" + name + "'");
            }
        }
        if (memory < 0 || iterations < 0 || parallelism < 0) {
            throw new IllegalArgumentException("parameters m, t and p are all required");
        }
        PhcHash parsed =
                new PhcHash(memory, iterations, parallelism, base64("salt", parts[4]), base64("hash", parts[5]));
        parsed.checkBounds();
        return parsed;
    }

    void checkBounds() {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("p must be 1.." + MAX_PARALLELISM);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("m must be 8*p.." + MAX_MEMORY_KIB + " KiB");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("t must be 1.." + MAX_ITERATIONS);
        }
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("salt shorter than " + MIN_SALT_BYTES + " bytes");
        }
        if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            throw new IllegalArgumentException("hash must be " + MIN_HASH_BYTES + ".." + MAX_HASH_BYTES + " bytes");
        }
    }

    /** The PHC string. */
    @Override
    public String toString() {
        return "$" + ALGORITHM + "$v=" + VERSION + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64_ENCODER.encodeToString(salt) + "$" + B64_ENCODER.encodeToString(hash);
    }

    private static int number(String name, String text) {
        // digits only: Integer.parseInt would also accept "+5"
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("parameter '" + name + "' is not a number");
        }
        return Integer.parseInt(text);
    }

    private static int once(String name, int current, int value) {
        if (current >= 0) {
            throw new IllegalArgumentException("parameter '" + name + "' given twice");
        }
        return value;
    }

    private static byte[] base64(String what, String text) {
        // PHC forbids padding; the JDK decoder would quietly accept it
        if (text.isEmpty() || text.indexOf('=') >= 0) {
            throw new IllegalArgumentException(what + " is not unpadded Base64");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not unpadded Base64");
        }
    }
}
