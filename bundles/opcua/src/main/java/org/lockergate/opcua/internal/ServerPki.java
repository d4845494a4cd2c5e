package org.lockergate.opcua.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PKI folder ({@code {data}/opcua/pki}, owner-only): the self-signed application certificate created on
 * first start ({@code own/}, a PKCS#12 key store whose random password sits beside it), the trusted client
 * certificates an operator drops into {@code trusted/certs/} (watched, no restart needed), CAs in {@code issuer/},
 * and the certificates of refused clients in {@code rejected/} (move one to {@code trusted/certs/} to trust it).
 */
final class ServerPki implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerPki.class);

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final FileBasedTrustListManager trustList;
    private final KeyStoreCertificateStore store;
    private final CertificateManager certificateManager;
    private final X509Certificate certificate;

    private ServerPki(Path dir, FileBasedTrustListManager trustList, KeyStoreCertificateStore store,
            CertificateManager certificateManager, X509Certificate certificate) {
        this.dir = dir;
        this.trustList = trustList;
        this.store = store;
        this.certificateManager = certificateManager;
        this.certificate = certificate;
    }

    /**
     * Opens the PKI folder, creating the folders and the application certificate when missing. A certificate whose
     * application URI or host names no longer match is replaced (logged).
     */
    static ServerPki open(Path dir, String applicationUri, Set<String> hostnames) throws Exception {
        createOwnerOnlyDirectory(dir);
        Path own = dir.resolve("own");
        createOwnerOnlyDirectory(own);
        Path rejected = dir.resolve("rejected");
        createOwnerOnlyDirectory(rejected);

        FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(dir);
        char[] password = keyStorePassword(own.resolve("keystore.password"));
        Path keyStoreFile = own.resolve("application.pfx");
        boolean existed = Files.exists(keyStoreFile);
        KeyStoreCertificateStore store = KeyStoreCertificateStore.createAndInitialize(
                new KeyStoreCertificateStore.Settings(keyStoreFile, () -> password.clone(), alias -> password.clone()));
        NodeId type = NodeIds.RsaSha256ApplicationCertificateType;
        if (store.contains(type)) {
            X509Certificate existing = store.get(type).certificateChain[0];
            if (!CertificateUtil.getSanUri(existing).orElse("").equals(applicationUri)) {
                LOG.warn("OPC UA 应用证书的 URI 已变，重新生成 / the OPC UA application certificate names another"
                        + " application URI ({}), creating a new one for {}",
                        CertificateUtil.getSanUri(existing).orElse("none"), applicationUri);
                store.remove(type);
            }
        }
        var factory = new SelfSignedFactory(applicationUri, hostnames);
        var quarantine = new FileBasedCertificateQuarantine(rejected.toFile());
        var validator = new DefaultServerCertificateValidator(trustList, quarantine);
        var group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory, validator);
        X509Certificate certificate = group.getCertificateChain(type).orElseThrow()[0];
        restrict(keyStoreFile, OWNER_FILE);
        if (!existed) {
            LOG.info("已创建 OPC UA 自签名应用证书 / created the OPC UA self-signed application certificate in {}"
                    + " (thumbprint {})", keyStoreFile, java.util.HexFormat.of().formatHex(CertificateUtil.thumbprint(certificate).bytesOrEmpty()));
        }
        var manager = new DefaultCertificateManager(quarantine, group);
        return new ServerPki(dir, trustList, store, manager, certificate);
    }

    CertificateManager certificateManager() {
        return certificateManager;
    }

    X509Certificate certificate() {
        return certificate;
    }

    Path dir() {
        return dir;
    }

    /** Where an operator puts the DER or PEM certificates of clients to trust. */
    Path trustedCertificates() {
        return dir.resolve("trusted").resolve("certs");
    }

    @Override
    public void close() throws IOException {
        try {
            trustList.close();
        } finally {
            store.close();
        }
    }

    private static char[] keyStorePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createFile(file);
        restrict(file, OWNER_FILE);
        Files.writeString(file, password, StandardCharsets.US_ASCII);
        return password.toCharArray();
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, OWNER_DIR);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException | FileSystemException e) {
            LOG.warn("无法把 {} 设为仅属主可访问 / cannot make {} owner-only: {}", path, path, e.toString());
        }
    }

    /** Creates the self-signed RSA-SHA256 application certificate with our URI, host names and addresses. */
    private static final class SelfSignedFactory extends RsaSha256CertificateFactory {

        private final String applicationUri;
        private final Set<String> hostnames;

        SelfSignedFactory(String applicationUri, Set<String> hostnames) {
            this.applicationUri = applicationUri;
            this.hostnames = new LinkedHashSet<>(hostnames);
        }

        @Override
        protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair,
                    new SelfSignedCertificateGenerator())
                    .setCommonName("LockerGate OPC UA server")
                    .setOrganization("LockerGate")
                    .setApplicationUri(applicationUri)
                    .setValidityPeriod(Period.ofYears(10));
            Stream.concat(hostnames.stream(), Stream.of("localhost", "127.0.0.1")).distinct().forEach(name -> {
                if (looksLikeAddress(name)) {
                    builder.addIpAddress(name);
                } else {
                    builder.addDnsName(name);
                }
            });
            return new X509Certificate[] {builder.build()};
        }

        private static boolean looksLikeAddress(String name) {
            if (name.contains(":")) {
                return true;
            }
            if (!name.matches("[0-9.]+")) {
                return false;
            }
            try {
                return InetAddress.getByName(name) != null;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
