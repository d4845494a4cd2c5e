package org.lockergate.core.internal.registry;

import java.util.List;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.core.internal.Errors;

/** The handle a vendor bundle holds for one attachment; a later attach of the same cabinet makes it stale. */
final class CabinetLinkImpl implements CabinetLink {

    private final Registry registry;
    private final AttachedCabinet cabinet;
    private final long generation;

    CabinetLinkImpl(Registry registry, AttachedCabinet cabinet, long generation) {
        this.registry = registry;
        this.cabinet = cabinet;
        this.generation = generation;
    }

    @Override
    public long report(long boot, List<CabinetEvent> events) throws LockerException {
        if (!registry.current(cabinet, generation)) {
            throw Errors.of(Kind.FORBIDDEN, "not_registered", "柜子 " + cabinet.cabinetId() + " 未注册或已重新注册",
                    "Cabinet " + cabinet.cabinetId() + " is not registered (or registered again since)");
        }
        registry.heartbeat(cabinet, generation);
        return registry.receiver().report(cabinet, boot, events);
    }

    @Override
    public void heartbeat() {
        registry.heartbeat(cabinet, generation);
    }

    @Override
    public void detach(String reason) {
        registry.detach(cabinet, generation, reason);
    }

    @Override
    public String toString() {
        return "CabinetLink[" + cabinet.cabinetId() + "#" + generation + "]";
    }
}
