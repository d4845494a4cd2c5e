package org.lockergate.web.internal;

import java.util.function.Supplier;
import org.lockergate.api.locker.LockerQueries;

/** Access to the locker core's services with the API's errors: 503 when it is not running or cannot read. */
final class Locker {

    private Locker() {}

    static LockerQueries queries(LockerQueries queries) {
        if (queries == null) {
            throw ApiException.serviceUnavailable("locker_queries");
        }
        return queries;
    }

    /** Runs a read; the core reports a failed store read as IllegalStateException. */
    static <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalStateException e) {
            throw ApiException.serviceUnavailable("locker_queries");
        }
    }
}
