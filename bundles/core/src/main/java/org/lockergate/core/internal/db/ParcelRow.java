package org.lockergate.core.internal.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/** A {@code parcel} row, secrets included (the encrypted phone and the code's HMAC): never leaves the core. */
public record ParcelRow(String parcelId, String groupId, String cabinetId, String compartment, SizeClass size,
        String waybill, String companyCode, String courierId, String phoneEnc, String phoneMasked, String codeHmac,
        ParcelState state, String consentChannel, String consentRef, Instant consentAt, boolean feeTermsAccepted,
        String declared, Instant reservedAt, Instant depositedAt, Instant closedAt, long feeFen, boolean feeOwed,
        int wrongCodes, Instant lockedUntil, long version) {

    public static ParcelRow map(ResultSet rs) throws SQLException {
        return new ParcelRow(rs.getString("parcel_id"), rs.getString("group_id"), rs.getString("cabinet_id"),
                rs.getString("compartment"), SizeClass.valueOf(rs.getString("size_class").trim()),
                rs.getString("waybill"), rs.getString("company_code"), rs.getString("courier_id"),
                rs.getString("phone_enc"), rs.getString("phone_masked"), rs.getString("code_hmac"),
                ParcelState.valueOf(rs.getString("state")), rs.getString("consent_channel"),
                rs.getString("consent_ref"), Db.instant(rs, "consent_at"), rs.getBoolean("fee_terms_accepted"),
                rs.getString("declared"), Db.instant(rs, "reserved_at"), Db.instant(rs, "deposited_at"),
                Db.instant(rs, "closed_at"), rs.getLong("fee_fen"), rs.getBoolean("fee_owed"),
                rs.getInt("wrong_codes"), Db.instant(rs, "locked_until"), rs.getLong("version"));
    }

    /** The masked public view: no code, no clear phone. */
    public Parcel toApi() {
        Consent consent = consentChannel == null ? null
                : new Consent(consentChannel, consentRef, consentAt, feeTermsAccepted);
        return new Parcel(parcelId, groupId, cabinetId, compartment, size, waybill, companyCode, courierId,
                phoneMasked, state, consent, reservedAt, depositedAt, closedAt, feeFen, feeOwed);
    }
}
