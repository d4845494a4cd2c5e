package org.lockergate.devices.coap.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;

/**
 * A plain UDP connector whose socket loses datagrams as {@link NetworkConditions} say, in both directions. The
 * loss happens below CoAP, exactly where a real network loses packets, so CoAP's own retransmissions and
 * de-duplication are exercised as they would be in the field.
 */
final class LossyUdpConnector extends UDPConnector {

    private final NetworkConditions network;

    LossyUdpConnector(InetSocketAddress address, Configuration configuration, NetworkConditions network) {
        super(address, configuration);
        this.network = network;
    }

    @Override
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        DatagramSocket socket = new LossySocket(network);
        socket.setReuseAddress(false);
        socket.bind(localAddr);
        init(socket);
    }

    /** A datagram socket that silently loses what the network conditions say it loses. */
    private static final class LossySocket extends DatagramSocket {

        private final NetworkConditions network;

        LossySocket(NetworkConditions network) throws SocketException {
            super((InetSocketAddress) null);
            this.network = network;
        }

        @Override
        public void send(DatagramPacket packet) throws IOException {
            if (!network.drop()) {
                super.send(packet);
            }
        }

        @Override
        public void receive(DatagramPacket packet) throws IOException {
            int capacity = packet.getData().length - packet.getOffset();
            while (true) {
                packet.setLength(capacity);
                super.receive(packet);
                if (!network.drop()) {
                    return;
                }
            }
        }
    }
}
