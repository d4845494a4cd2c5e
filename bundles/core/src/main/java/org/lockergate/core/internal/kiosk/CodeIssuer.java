package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.core.internal.db.Db;

/**
 * Issues pickup codes unique among the group's in-locker parcels (R8). The store is checked in the transaction;
 * codes being issued by concurrent transactions are held in memory until those commit, so two deposits completing
 * at once never get the same code.
 */
public final class CodeIssuer {

    /** A code issued in a transaction; {@link #release} once that transaction ended. */
    public record Issued(String code, String hmac, String pendingKey) {
        @Override
        public String toString() {
            return "Issued[" + pendingKey + "]";
        }
    }

    static final String IN_LOCKER = "'RESERVED', 'DEPOSITED', 'OVERDUE', 'RECALL_DUE', 'HELD', 'REJECTED'";

    private final CodeHasher hasher;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public CodeIssuer(CodeHasher hasher) {
        this.hasher = hasher;
    }

    public Issued issue(Connection c, String groupId) throws SQLException {
        for (int attempt = 0; attempt < 100; attempt++) {
            String code = hasher.newCode();
            String hmac = hasher.hmacHex(code);
            String key = groupId + ":" + hmac;
            if (!pending.add(key)) {
                continue;
            }
            if (Db.count(c, "SELECT COUNT(*) FROM parcel WHERE group_id = ? AND code_hmac = ? AND state IN ("
                    + IN_LOCKER + ")", groupId, hmac) == 0) {
                return new Issued(code, hmac, key);
            }
            pending.remove(key);
        }
        throw new SQLException("no unique pickup code after 100 attempts in group " + groupId);
    }

    public void release(Issued issued) {
        pending.remove(issued.pendingKey());
    }
}
