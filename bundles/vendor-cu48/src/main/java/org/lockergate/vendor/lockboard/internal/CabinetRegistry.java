package org.lockergate.vendor.lockboard.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cabinets one vendor bundle drives now (configured ones, attached or still waiting for a board). */
public class CabinetRegistry {

    private final Map<String, BoardCabinet> cabinets = new TreeMap<>();

    /** @throws IllegalStateException when another configuration already drives that cabinet id */
    public synchronized void add(BoardCabinet cabinet) {
        BoardCabinet other = cabinets.putIfAbsent(cabinet.cabinetId(), cabinet);
        if (other != null && other != cabinet) {
            throw new IllegalStateException("柜子 " + cabinet.cabinetId() + " 已由另一份配置驱动 / cabinet "
                    + cabinet.cabinetId() + " is already driven by another configuration");
        }
    }

    public synchronized void remove(BoardCabinet cabinet) {
        cabinets.remove(cabinet.cabinetId(), cabinet);
    }

    public synchronized List<String> ids() {
        return List.copyOf(cabinets.keySet());
    }

    public synchronized List<String> attachedIds() {
        return cabinets.values().stream().filter(BoardCabinet::attached).map(BoardCabinet::cabinetId).toList();
    }
}
