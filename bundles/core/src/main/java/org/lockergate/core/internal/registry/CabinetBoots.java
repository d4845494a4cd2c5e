package org.lockergate.core.internal.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.db.Db;
import org.lockergate.store.StoreTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledged event sequence of each boot of a cabinet (table {@code cabinet_boot}, store V2). {@code acked}
 * of a boot means every event of that boot up to it is stored. The last {@value #KEEP} boots are kept; events of
 * an older boot, or of a boot newer than the one the cabinet registered with, are refused. The cabinet row keeps the
 * current boot and its acked seq too ({@code cabinet.boot}, {@code cabinet.acked_seq}).
 *
 * <p>Every method expects the cabinet row locked ({@link #lock}) in the same transaction.
 */
public final class CabinetBoots {

    /** Events of the last this many boots of a cabinet (the current one included) are accepted. */
    public static final int KEEP = 4;

    private static final Logger LOG = LoggerFactory.getLogger(CabinetBoots.class);

    private CabinetBoots() {
    }

    /**
     * The cabinet row: its current (registered) boot, that boot's acked seq, and the first boot whose acknowledgements
     * are all in {@code cabinet_boot} (earlier ones may have been acknowledged before that table existed).
     */
    public record Head(String cabinetId, long boot, long ackedSeq, long historyFrom) {
    }

    /** Where the stored sequence of a boot continues: after {@code acked}; {@code resumed} when no row said so. */
    public record Start(long acked, boolean known, boolean resumed) {
    }

    /** Reads and locks the cabinet row. */
    public static Optional<Head> lock(Connection c, String cabinetId) throws SQLException {
        return Db.one(c, "SELECT boot, acked_seq, boot_history_from FROM cabinet WHERE cabinet_id = ? FOR UPDATE",
                rs -> {
                    long boot = rs.getLong(1);
                    long acked = rs.getLong(2);
                    long from = rs.getLong(3);
                    return new Head(cabinetId, boot, acked, rs.wasNull() ? boot : from);
                }, cabinetId);
    }

    /** Refuses events of a boot newer than the registered one or older than the last {@value #KEEP} boots. */
    public static void check(Head head, long boot) throws LockerException {
        if (boot > head.boot()) {
            throw Errors.of(Kind.BAD_REQUEST, "bad_event", "事件的 boot " + boot + " 比柜子 " + head.cabinetId()
                    + " 注册时的 boot " + head.boot() + " 新，请先以新的 boot 注册", "Events of boot " + boot
                            + " are newer than the boot " + head.boot() + " cabinet " + head.cabinetId()
                            + " registered with: register with the new boot first", Errors.extra("field", "boot"));
        }
        long oldest = Math.max(0, head.boot() - KEEP + 1);
        if (boot < oldest) {
            throw Errors.of(Kind.BAD_REQUEST, "bad_event", "事件的 boot " + boot + " 早于柜子 " + head.cabinetId()
                    + " 最近 " + KEEP + " 次启动（boot " + oldest + "–" + head.boot() + "），不再接受，请丢弃",
                    "Events of boot " + boot + " are older than the last " + KEEP + " boots of cabinet "
                            + head.cabinetId() + " (boot " + oldest + "-" + head.boot()
                            + ") and are no longer accepted: drop them", Errors.extra("field", "boot"));
        }
    }

    /**
     * Where boot {@code boot} continues. Its row, else for the current boot the cabinet row's acked seq. A boot with
     * no row from {@code historyFrom} on has had nothing acknowledged (the row is written with the first
     * acknowledgement), so it starts at 0. A boot before {@code historyFrom} may have been acknowledged in part
     * before this table existed: it continues just before the first seq the cabinet still sends.
     */
    public static Start start(Connection c, Head head, long boot, long firstSeq) throws SQLException {
        OptionalLong stored = acked(c, head.cabinetId(), boot);
        if (stored.isPresent()) {
            return new Start(stored.getAsLong(), true, false);
        }
        if (boot == head.boot()) {
            return new Start(head.ackedSeq(), false, false);
        }
        if (boot < head.historyFrom() && firstSeq > 0) {
            return new Start(firstSeq - 1, false, true);
        }
        return new Start(0, false, false);
    }

    /** Stores a boot's acked seq (and the cabinet row's, for the current boot). */
    public static void store(Connection c, Head head, long boot, long acked, Instant now) throws SQLException {
        if (Db.update(c, "UPDATE cabinet_boot SET acked_seq = ? WHERE cabinet_id = ? AND boot = ?", acked,
                head.cabinetId(), boot) == 0) {
            Db.update(c, "INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) VALUES (?, ?, ?)", head.cabinetId(),
                    boot, acked);
        }
        if (boot == head.boot()) {
            Db.update(c, "UPDATE cabinet SET acked_seq = ?, last_seen = ? WHERE cabinet_id = ?", acked, now,
                    head.cabinetId());
        } else {
            Db.update(c, "UPDATE cabinet SET last_seen = ? WHERE cabinet_id = ?", now, head.cabinetId());
        }
    }

    /** A new cabinet registered with {@code boot}: its history starts there. */
    static void created(Connection c, String cabinetId, long boot) throws SQLException {
        Db.update(c, "INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) VALUES (?, ?, 0)", cabinetId, boot);
    }

    /**
     * A known cabinet attached with {@code boot}. The same boot keeps its sequence. A newer boot starts at 0; the
     * previous boot's acked seq stays in its row (its queued events may still come), and rows older than the last
     * {@value #KEEP} boots are deleted. An older boot means the cabinet's counter was reset (a new controller or
     * wiped storage): the cabinet's boot history starts again at that boot.
     */
    static void attached(StoreTx tx, Head head, long boot, Instant now) throws SQLException {
        Connection c = tx.connection();
        String id = head.cabinetId();
        if (acked(c, id, head.boot()).isEmpty()) {
            // the row of the registered boot (missing if a core without cabinet_boot ran in between)
            Db.update(c, "INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) VALUES (?, ?, ?)", id, head.boot(),
                    head.ackedSeq());
        }
        if (boot == head.boot()) {
            return;
        }
        if (boot > head.boot()) {
            OptionalLong acked = acked(c, id, boot);
            if (acked.isEmpty()) {
                Db.update(c, "INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) VALUES (?, ?, 0)", id, boot);
            }
            Db.update(c, "UPDATE cabinet SET boot = ?, acked_seq = ? WHERE cabinet_id = ?", boot, acked.orElse(0),
                    id);
            Db.update(c, "DELETE FROM cabinet_boot WHERE cabinet_id = ? AND boot <= ?", id, boot - KEEP);
            return;
        }
        Db.update(c, "DELETE FROM cabinet_boot WHERE cabinet_id = ?", id);
        Db.update(c, "INSERT INTO cabinet_boot(cabinet_id, boot, acked_seq) VALUES (?, ?, 0)", id, boot);
        Db.update(c, "UPDATE cabinet SET boot = ?, acked_seq = 0, boot_history_from = ? WHERE cabinet_id = ?", boot,
                boot, id);
        tx.audit(now, "cabinet:" + id, "cabinet.boot_reset", id, "boot " + head.boot() + " -> " + boot
                + ": boot counter went back, event history restarts");
        LOG.warn("柜子 {} 的启动计数从 {} 回到 {}，事件序号重新开始 / Cabinet {} boot counter went back from {} to {}: "
                + "its event history restarts", id, head.boot(), boot, id, head.boot(), boot);
    }

    private static OptionalLong acked(Connection c, String cabinetId, long boot) throws SQLException {
        Optional<Long> acked = Db.one(c, "SELECT acked_seq FROM cabinet_boot WHERE cabinet_id = ? AND boot = ?",
                rs -> rs.getLong(1), cabinetId, boot);
        return acked.map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
