package org.lockergate.store;

import java.sql.SQLException;
import org.lockergate.api.locker.LockerException;

/** Work done inside one transaction. Throwing rolls the transaction back. */
@FunctionalInterface
public interface StoreWork<T> {

    T run(StoreTx tx) throws SQLException, LockerException;
}
