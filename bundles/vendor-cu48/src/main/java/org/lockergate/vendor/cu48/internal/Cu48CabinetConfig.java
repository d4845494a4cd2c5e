package org.lockergate.vendor.cu48.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One CU48 cabinet: a factory configuration of PID {@value #FACTORY_PID}, one per cabinet. */
@ObjectClassDefinition(id = Cu48CabinetConfig.FACTORY_PID, name = "LockerGate CU48 柜子 / CU48 cabinet",
        description = "A cabinet with CU48 48-channel lock boards reached over Modbus TCP (usually a serial-to-TCP"
                + " server in front of the RS-485 line). One configuration per cabinet.")
public @interface Cu48CabinetConfig {

    String FACTORY_PID = "org.lockergate.vendor.cu48.cabinet";

    @AttributeDefinition(name = "Cabinet id", description = "Unique in the gateway.")
    String cabinetId();

    @AttributeDefinition(name = "Group id", description = "The cabinet group (柜组) it belongs to.")
    String groupId();

    @AttributeDefinition(name = "Host", description = "Modbus TCP server (serial-to-TCP gateway) address.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Boards", description = "Unit ids (board addresses, 1-247) of the cabinet's boards;"
            + " also the board numbers of its compartments.")
    int[] boards() default {1};

    @AttributeDefinition(name = "Compartments", description = "board:channel=label[:size] or"
            + " board:first-last=label[:size] (the label's number counts up: 1:1-16=A01:S is A01..A16).")
    String[] compartments();

    @AttributeDefinition(name = "Default size", description = "S, M or L for entries without a size.")
    String defaultSize() default "M";

    @AttributeDefinition(name = "Model")
    String model() default "CU48";

    @AttributeDefinition(name = "Poll interval (ms)", min = "50", max = "60000")
    int pollIntervalMs() default 500;

    @AttributeDefinition(name = "Offline after missed polls", min = "1", max = "100",
            description = "Polls a board may miss in a row before it is offline (board_offline).")
    int offlineAfterMissedPolls() default 3;

    @AttributeDefinition(name = "Answer timeout (ms)", min = "20", max = "10000")
    int timeoutMs() default 300;

    @AttributeDefinition(name = "Read retries", min = "0", max = "5",
            description = "Further attempts of a read that got no answer (writes are never repeated).")
    int retries() default 1;

    @AttributeDefinition(name = "Open window (s)", min = "1", max = "60",
            description = "R13: how long an unlock watches the door before it is jammed.")
    int openWindowSeconds() default 10;

    @AttributeDefinition(name = "Verify interval (ms)", min = "20", max = "2000",
            description = "How often the door is read while an unlock waits for it to open.")
    int verifyIntervalMs() default 100;
}
