package org.lockergate.transport.modbus.internal;

import java.util.List;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusBusStatus;
import org.lockergate.transport.modbus.ModbusClient;
import org.lockergate.transport.modbus.ModbusOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModbusClient} service. Stopping it (bundle stopped or updated) closes every endpoint: the handles vendor
 * bundles hold fail their requests with {@code CLOSED}, and SCR deactivates those vendors first since they reference
 * this service statically.
 */
@Component(service = ModbusClient.class, configurationPid = TransportConfig.PID)
@Designate(ocd = TransportConfig.class)
public final class ModbusTransportComponent implements ModbusClient {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTransportComponent.class);

    private TcpModbusClient client;
    private volatile int maxEndpoints;

    @Activate
    void activate(TransportConfig config) {
        maxEndpoints = config.maxEndpoints();
        client = new TcpModbusClient();
        LOG.info("Modbus TCP 传输已启动 / Modbus TCP transport started");
    }

    @Modified
    void modified(TransportConfig config) {
        maxEndpoints = config.maxEndpoints();
    }

    @Deactivate
    void deactivate() {
        int open = client.status().size();
        client.close();
        LOG.info("Modbus TCP 传输已停止，关闭 {} 个端点 / Modbus TCP transport stopped, {} endpoints closed", open, open);
    }

    @Override
    public ModbusBus open(String host, int port, ModbusOptions options) {
        List<ModbusBusStatus> open = client.status();
        String key = host == null ? "" : host.strip() + ":" + port;
        if (open.size() >= maxEndpoints && open.stream().noneMatch(s -> s.endpoint().equals(key))) {
            throw new IllegalStateException("Modbus 端点过多（" + open.size() + "）/ too many Modbus endpoints open ("
                    + open.size() + ", limit " + maxEndpoints + ")");
        }
        return client.open(host, port, options);
    }

    @Override
    public List<ModbusBusStatus> status() {
        return client.status();
    }
}
