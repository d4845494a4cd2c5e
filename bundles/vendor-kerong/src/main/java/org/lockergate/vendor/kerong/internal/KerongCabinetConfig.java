package org.lockergate.vendor.kerong.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One Kerong cabinet: a factory configuration of PID {@value #FACTORY_PID}, one per cabinet. */
@ObjectClassDefinition(id = KerongCabinetConfig.FACTORY_PID, name = "LockerGate Kerong 柜子 / Kerong cabinet",
        description = "A cabinet with Kerong KR-CU16 lock boards behind a serial-to-TCP server. One configuration per"
                + " cabinet; cabinets behind the same server share its bus (one command at a time).")
public @interface KerongCabinetConfig {

    String FACTORY_PID = "org.lockergate.vendor.kerong.cabinet";

    @AttributeDefinition(name = "Cabinet id")
    String cabinetId();

    @AttributeDefinition(name = "Group id")
    String groupId();

    @AttributeDefinition(name = "Host", description = "Serial-to-TCP server address.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "1", max = "65535")
    int port() default 4001;

    @AttributeDefinition(name = "Boards", description = "Board numbers 1-16 = DIP switch address + 1.")
    int[] boards() default {1};

    @AttributeDefinition(name = "Compartments", description = "board:channel=label[:size] or"
            + " board:first-last=label[:size], channels 1-16 (lock index + 1).")
    String[] compartments();

    @AttributeDefinition(name = "Default size", description = "S, M or L.")
    String defaultSize() default "M";

    @AttributeDefinition(name = "Model")
    String model() default "KR-CU16";

    @AttributeDefinition(name = "Poll interval (ms)", min = "50", max = "60000")
    int pollIntervalMs() default 500;

    @AttributeDefinition(name = "Offline after missed polls", min = "1", max = "100")
    int offlineAfterMissedPolls() default 3;

    @AttributeDefinition(name = "Answer timeout (ms)", min = "20", max = "10000")
    int timeoutMs() default 300;

    @AttributeDefinition(name = "Read retries", min = "0", max = "5")
    int retries() default 1;

    @AttributeDefinition(name = "Open window (s)", min = "1", max = "60")
    int openWindowSeconds() default 10;

    @AttributeDefinition(name = "Verify interval (ms)", min = "20", max = "2000")
    int verifyIntervalMs() default 100;
}
