package org.lockergate.rules.internal.alloc;

import java.util.List;
import org.lockergate.api.model.Compartment;

/**
 * Which courier company a compartment's parcel belongs to: the seam the quota pools count through. The API's
 * {@link Compartment} carries the parcel id but not its company (see README: what the API should add); until it
 * does, {@link ParcelCompanies} looks parcels up through {@code LockerQueries} and caches the answer (a parcel's
 * company never changes).
 */
public interface CompanyOf {

    /** Called once per decision with the group's compartments, before {@link #companyOf}; may batch look-ups. */
    default void prepare(String groupId, List<Compartment> compartments) {
    }

    /** The company code of the parcel in (or reserved for) {@code c}, or {@code null} when empty or unknown. */
    String companyOf(Compartment c);

    /** Knows nothing: every parcel counts against the shared part. */
    CompanyOf UNKNOWN = c -> null;
}
