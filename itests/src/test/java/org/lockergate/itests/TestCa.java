package org.lockergate.itests;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA made in the test (BouncyCastle, EC P-256): its certificate and a server certificate for
 * 127.0.0.1/localhost, written as PEM files for Mosquitto ({@code cafile}, {@code certfile}, {@code keyfile}) and
 * for the gateway's {@code caFile}. Nothing of it is kept in the repository.
 */
public final class TestCa {

    public final Path caCert;
    public final Path serverCert;
    public final Path serverKey;

    private TestCa(Path caCert, Path serverCert, Path serverKey) {
        this.caCert = caCert;
        this.serverCert = serverCert;
        this.serverKey = serverKey;
    }

    public static TestCa create(Path dir, String caName) throws Exception {
        Files.createDirectories(dir);
        KeyPair ca = ec();
        KeyPair server = ec();
        Instant now = Instant.now();
        X500Name caSubject = new X500Name("CN=" + caName);
        ContentSigner caSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
        X509CertificateHolder caHolder = new JcaX509v3CertificateBuilder(caSubject, BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), caSubject,
                ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .build(caSigner);
        X509CertificateHolder serverHolder = new JcaX509v3CertificateBuilder(caSubject, BigInteger.TWO,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                new X500Name("CN=localhost"), server.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}))
                .build(caSigner);
        TestCa out = new TestCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server-key.pem"));
        Files.writeString(out.caCert, pem(caHolder));
        Files.writeString(out.serverCert, pem(serverHolder));
        // PKCS#8 ("PRIVATE KEY"), which OpenSSL 3 in Mosquitto reads
        Files.writeString(out.serverKey, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64,
                "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(server.getPrivate()
                        .getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return out;
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }
}
