package org.lockergate.identity.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (BouncyCastle) with PHC strings. Plain Java: {@link PasswordTool} uses it without OSGi.
 */
final class PasswordHasher {

    /** OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, 1 lane. */
    static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    static final int DEFAULT_ITERATIONS = 2;
    static final int DEFAULT_PARALLELISM = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    private final SecureRandom random;
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;

    PasswordHasher() {
        this(new SecureRandom(), DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /** Cost parameters for new hashes; existing hashes verify with the parameters they carry. */
    PasswordHasher(SecureRandom random, int memoryKib, int iterations, int parallelism) {
        this.random = random;
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        new PhcHash(memoryKib, iterations, parallelism, new byte[SALT_BYTES], new byte[HASH_BYTES]).checkBounds();
    }

    /** A new PHC string for the password, with a fresh random salt. */
    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        PhcHash template = new PhcHash(memoryKib, iterations, parallelism, salt, new byte[HASH_BYTES]);
        return new PhcHash(memoryKib, iterations, parallelism, salt, derive(password, template)).toString();
    }

    /** True when the password matches; the comparison takes the same time wherever the bytes differ. */
    boolean verify(char[] password, PhcHash expected) {
        byte[] actual = derive(password, expected);
        try {
            return MessageDigest.isEqual(actual, expected.hash());
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    private static byte[] derive(char[] password, PhcHash parameters) {
        Argon2Parameters argon2 = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(parameters.memoryKib())
                .withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism())
                .withSalt(parameters.salt())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(argon2);
        byte[] out = new byte[parameters.hash().length];
        generator.generateBytes(password, out); // password as UTF-8, like the reference implementation
        return out;
    }
}
