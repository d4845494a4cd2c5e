package org.lockergate.upstream.mqtt.internal;

import java.util.function.Supplier;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.model.AlarmType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gateway-wide alarms raised by the upstream, through the core's {@link AlarmService} when it is there. */
final class AlarmSink {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmSink.class);

    private final Supplier<AlarmService> alarms;

    AlarmSink(Supplier<AlarmService> alarms) {
        this.alarms = alarms;
    }

    /** True when the alarm service took it. */
    boolean raise(AlarmType type, String message) {
        AlarmService service = alarms.get();
        if (service == null) {
            LOG.warn("告警服务不可用，未能发出 {} / No alarm service: {} not raised ({})", type.wireName(),
                    type.wireName(), message);
            return false;
        }
        try {
            service.raise(type, null, null, null, message);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("发出告警 {} 失败 / Raising {} failed: {}", type.wireName(), type.wireName(), e.toString());
            return false;
        }
    }

    boolean clear(AlarmType type) {
        AlarmService service = alarms.get();
        if (service == null) {
            return false;
        }
        try {
            service.clear(type, null, null, null);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("清除告警 {} 失败 / Clearing {} failed: {}", type.wireName(), type.wireName(), e.toString());
            return false;
        }
    }
}
