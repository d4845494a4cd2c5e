package org.lockergate.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small fixed-size pool over a {@link DataSource} (H2 embedded connections are cheap, never time out and need no
 * validation query). At most {@code size} connections are lent at once; a borrower waits for one. A connection that
 * failed is closed instead of returned. Our own 60 lines instead of H2's {@code JdbcConnectionPool}, so the bundle
 * needs no {@code org.h2} import and the store takes any {@code DataSource}.
 */
final class ConnectionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final DataSource dataSource;
    private final int size;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(DataSource dataSource, int size) {
        this.dataSource = dataSource;
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    int size() {
        return size;
    }

    /** Borrows a connection with auto-commit off. */
    Connection borrow(long timeoutMillis) throws SQLException {
        try {
            if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLException("no database connection free within " + timeoutMillis + " ms (pool size "
                        + size + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        if (closed) {
            permits.release();
            throw new SQLException("the store is closed");
        }
        try {
            Connection c = idle.pollFirst();
            if (c == null) {
                c = dataSource.getConnection();
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a connection; {@code broken} ones (or any after {@link #close()}) are closed. */
    void release(Connection c, boolean broken) {
        try {
            if (broken || closed || c.isClosed()) {
                closeQuietly(c);
            } else {
                idle.addFirst(c);
                if (closed && idle.remove(c)) { // close() ran meanwhile
                    closeQuietly(c);
                }
            }
        } catch (SQLException e) {
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    /** Waits until every lent connection is back (or the timeout), then closes all. */
    @Override
    public void close() {
        closed = true;
        try {
            if (!permits.tryAcquire(size, 10, TimeUnit.SECONDS)) {
                LOG.warn("关闭时仍有事务未完成 / Closing the store while transactions are still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            closeQuietly(c);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
