package org.lockergate.upstream.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS socket factory for {@code ssl://}: the server is verified against the CA certificates of a PEM file (or
 * the JVM's default trust store when none is configured) and its host name is checked by Paho; an optional client
 * certificate comes from a PKCS#12 key store whose password is a secret file.
 */
final class Tls {

    private Tls() {
    }

    static SSLSocketFactory socketFactory(UpstreamSettings s) throws IOException, GeneralSecurityException {
        TrustManager[] trust = null; // null = the JVM's default trust store
        if (s.caFile() != null) {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            try (InputStream in = Files.newInputStream(s.caFile())) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certs.isEmpty()) {
                    throw new GeneralSecurityException("no certificate in " + s.caFile());
                }
                int i = 0;
                for (Certificate cert : certs) {
                    anchors.setCertificateEntry("ca" + i++, cert);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            trust = tmf.getTrustManagers();
        }
        KeyManager[] keys = null;
        if (s.clientKeyStore() != null) {
            char[] password = Secrets.readChars(s.clientKeyStorePasswordFile()).orElse(new char[0]);
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(s.clientKeyStore())) {
                    ks.load(in, password);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                keys = kmf.getKeyManagers();
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        return context.getSocketFactory();
    }
}
