package org.lockergate.web.internal;

import org.lockergate.api.locker.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit rows for what the web bundle itself changes (logins, logouts, password changes), written to the same
 * append-only audit log as the core's (R17). Locker changes (alarm acknowledgements, staff opening, disabling and
 * enabling compartments) are audited by the core with the operator passed as actor.
 */
final class WebAudit {

    private static final Logger LOG = LoggerFactory.getLogger(WebAudit.class);

    private WebAudit() {}

    /** The actor of an operator in audit rows and core calls: {@code operator:NAME}. */
    static String actor(String username) {
        return "operator:" + username;
    }

    /**
     * Appends one row. Without the audit log (the locker core not running) or when the write fails, it is logged: the
     * change already happened in the identity service and must not be reported as failed.
     */
    static void write(AuditLog log, String actor, String action, String target, String detail) {
        if (log == null) {
            LOG.warn("审计日志不可用，记录到日志 / Audit log unavailable, logged instead: {} {} {} {}", actor, action,
                    target, detail);
            return;
        }
        try {
            log.record(actor, action, target, detail);
        } catch (Exception e) {
            LOG.error("审计写入失败 / Audit write failed ({} {} {}): {}", actor, action, target, e.toString());
        }
    }
}
