package org.lockergate.transport.modbus;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The Modbus TCP client service. Thread-safe. */
@ProviderType
public interface ModbusClient {

    /**
     * Opens a handle on an endpoint. Handles of the same {@code host:port} share one connection and one transaction
     * queue (the bus); the connection is made lazily, kept, re-made after failures with backoff, and closed when the
     * last handle of the endpoint is closed.
     *
     * @param host host name or address of the Modbus TCP server (or serial-to-TCP gateway)
     * @param port its TCP port, 1–65535
     * @param options timeouts, retries and queue limits of this handle's requests
     * @throws IllegalArgumentException for a blank host or a bad port
     * @throws IllegalStateException when the service is stopping
     */
    ModbusBus open(String host, int port, ModbusOptions options);

    /** A snapshot of every open endpoint, for diagnostics. */
    List<ModbusBusStatus> status();
}
