package org.lockergate.devices.coap.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;

import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;

/**
 * The DTLS variant of {@link LossyUdpConnector}: records are lost on the wire, below the DTLS layer, so the
 * handshake's and CoAP's retransmissions both get their share of the loss.
 */
final class LossyDtlsConnector extends DTLSConnector {

    private final NetworkConditions network;

    LossyDtlsConnector(DtlsConnectorConfig config, NetworkConditions network) {
        super(config);
        this.network = network;
    }

    @Override
    protected void sendNextDatagramOverNetwork(DatagramPacket datagramPacket) throws IOException {
        if (!network.drop()) {
            super.sendNextDatagramOverNetwork(datagramPacket);
        }
    }

    @Override
    protected void processDatagram(DatagramPacket packet, InetSocketAddress router) {
        if (!network.drop()) {
            super.processDatagram(packet, router);
        }
    }
}
