package org.lockergate.core.internal.policy;

import java.util.Comparator;
import java.util.List;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.AllocationRequest;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in allocation (R11 without quota pools): the smallest FREE size that holds the parcel, larger sizes
 * when none is free (upsizing), excluded labels skipped, compartments whose sensor reports an item or an open door
 * skipped; within a size, cabinet then label in natural order. A rules bundle replaces it by registering an
 * {@link AllocationPolicy} with a higher service ranking. The core fills in the suggestion when it returns none.
 */
@Component(service = AllocationPolicy.class, property = "service.ranking:Integer=-100")
public class SmallestFitAllocation implements AllocationPolicy {

    static final Comparator<Compartment> ORDER = Comparator.comparing(Compartment::size)
            .thenComparing(Compartment::cabinetId).thenComparing(Compartment::label, SmallestFitAllocation::natural);

    @Override
    public Allocation allocate(AllocationRequest request, List<Compartment> compartments) {
        List<Compartment> candidates = compartments.stream()
                .filter(c -> c.state().allocatable())
                .filter(c -> c.doorClosed() && !c.itemPresent())
                .filter(c -> c.size().holds(request.size()))
                .filter(c -> !request.excluded().contains(c.label()))
                .sorted(ORDER)
                .toList();
        if (candidates.isEmpty()) {
            return new Allocation(List.of(), "没有可用的 " + request.size() + " 或更大的格口 / No free compartment of size "
                    + request.size() + " or larger", null);
        }
        SizeClass got = candidates.get(0).size();
        String explanation = got == request.size()
                ? "最小合适尺寸 " + got + "，格口 " + candidates.get(0).label() + " / Smallest fitting size " + got
                        + ", compartment " + candidates.get(0).label()
                : "没有空闲的 " + request.size() + " 格口，升格为 " + got + "，格口 " + candidates.get(0).label()
                        + " / No free " + request.size() + " compartment, upsized to " + got + ", compartment "
                        + candidates.get(0).label();
        return new Allocation(candidates, explanation, null);
    }

    /** "2" before "10", "B7" before "B07b"; digits compared by value. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int cmp = new java.math.BigInteger(a.substring(si, i)).compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
