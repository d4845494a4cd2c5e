package org.lockergate.rules.internal.alloc;

import java.math.BigInteger;
import java.util.Comparator;
import org.lockergate.api.model.Compartment;

/** Cabinet, then door label in natural order ("2" before "10"), as the core's built-in allocation orders them. */
final class Natural {

    static final Comparator<Compartment> ORDER = Comparator.comparing(Compartment::cabinetId)
            .thenComparing(Compartment::label, Natural::compare);

    private Natural() {
    }

    static int compare(String a, String b) {
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
                int cmp = new BigInteger(a.substring(si, i)).compareTo(new BigInteger(b.substring(sj, j)));
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
