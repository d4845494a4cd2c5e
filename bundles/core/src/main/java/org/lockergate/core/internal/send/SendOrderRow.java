package org.lockergate.core.internal.send;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOrder;
import org.lockergate.core.internal.db.Db;

/** A {@code send_order} row (store V5). */
public record SendOrderRow(String orderId, SendKind kind, String groupId, String cabinetId, String compartment,
        SizeClass size, String companyCode, String waybill, SendOrderState state, String codeHmac, Instant createdAt,
        Instant expiresAt, Instant droppedAt, Instant closedAt, String collectedBy, long version) {

    public static SendOrderRow map(ResultSet rs) throws SQLException {
        String size = rs.getString("size_class");
        return new SendOrderRow(rs.getString("order_id"), SendKind.valueOf(rs.getString("kind")),
                rs.getString("group_id"), rs.getString("cabinet_id"), rs.getString("compartment"),
                size == null ? null : SizeClass.valueOf(size.trim()), rs.getString("company_code"),
                rs.getString("waybill"), SendOrderState.valueOf(rs.getString("state")), rs.getString("code_hmac"),
                Db.instant(rs, "created_at"), Db.instant(rs, "expires_at"), Db.instant(rs, "dropped_at"),
                Db.instant(rs, "closed_at"), rs.getString("collected_by"), rs.getLong("version"));
    }

    public SendOrder toApi() {
        return new SendOrder(orderId, kind, groupId, cabinetId, compartment, size, companyCode, waybill, state,
                createdAt, expiresAt, droppedAt, closedAt, collectedBy);
    }

    public String key() {
        return groupId + "/" + compartment;
    }
}
