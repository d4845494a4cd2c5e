package org.lockergate.shell.internal;

import java.net.InetSocketAddress;

/**
 * A running remote shell listener. Registered as a service (under this class name, with the service properties
 * {@value #PORT_PROPERTY} and {@value #ADDRESS_PROPERTY}) while the shell listens, so integration tests and
 * diagnostics can find the actual port when it was configured as {@code 0}.
 */
interface RemoteShellEndpoint {

    /** Service property: the bound TCP port (Integer). */
    String PORT_PROPERTY = "lockergate.shell.port";

    /** Service property: the bound address (String, e.g. {@code 127.0.0.1}). */
    String ADDRESS_PROPERTY = "lockergate.shell.address";

    /** The bound address and port. */
    InetSocketAddress address();

    /** The bound TCP port. */
    default int port() {
        return address().getPort();
    }

    /** Sessions connected right now (logged in or still at the login prompt). */
    int activeSessions();
}
