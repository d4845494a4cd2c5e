package org.lockergate.transport.coap.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scandium's view of the {@link PskFileStore}: looks each handshake's identity up in the live key map, so a key
 * added, changed or removed counts from the next handshake on. Server side only: the gateway never starts a
 * handshake, so it has no identity of its own to offer.
 */
final class DtlsPskStore implements AdvancedPskStore {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsPskStore.class);
    private static final long REPORT_INTERVAL_NANOS = 10_000_000_000L;

    private final Function<String, byte[]> keys;
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    DtlsPskStore(Function<String, byte[]> keys) {
        this.keys = keys;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName,
            PskPublicInformation identity, String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
            boolean useExtendedMasterSecret) {
        byte[] key = identity.isCompliantEncoding() ? keys.apply(identity.getPublicInfoAsString()) : null;
        if (key == null) {
            reportUnknown(identity.getPublicInfoAsString());
            return new PskSecretResult(cid, identity, null);
        }
        return new PskSecretResult(cid, identity, SecretUtil.create(key, PskSecretResult.ALGORITHM_PSK));
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers synchronously
    }

    /** One WARN line per 10 s at most: a misconfigured cabinet (or a scan) must not flood the log. */
    private void reportUnknown(String identity) {
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= REPORT_INTERVAL_NANOS && lastReport.compareAndSet(last, now)) {
            LOG.warn(Messages.pskUnknownIdentity(identity, suppressed.getAndSet(0)));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
