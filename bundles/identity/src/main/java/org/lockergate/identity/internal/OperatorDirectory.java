package org.lockergate.identity.internal;

/** Where each operator configuration component puts its validated account (an internal service). */
interface OperatorDirectory {

    /** Adds or replaces the account of {@code account.pid()}; refuses a user name another configuration holds. */
    void add(OperatorAccount account) throws InvalidOperatorException;

    /** Removes the account of a configuration and ends its tokens. */
    void remove(String pid);
}
