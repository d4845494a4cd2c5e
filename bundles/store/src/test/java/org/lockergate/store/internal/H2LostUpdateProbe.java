package org.lockergate.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows the H2 defect the store works around (run by {@code bench/store-bench.sh --probe}, never in CI): 12
 * threads run {@code UPDATE c SET n = n + 1} in their own transactions and every 5th transaction rolls back; at the
 * end {@code n} must equal the number of commits. With concurrent transactions H2 2.3.232 (also 2.4.240 and 2.5.252,
 * at any isolation level, with or without {@code OPTIMIZE_REUSE_RESULTS=FALSE}) ends below it in a fraction of the
 * runs: a committed update was lost. With one writer at a time (what {@link H2Store#write} does) it never does.
 */
public final class H2LostUpdateProbe {

    private H2LostUpdateProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("h2-lost-update");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.println("H2 " + org.h2.engine.Constants.FULL_VERSION + ", " + rounds + " rounds each");
        System.out.println("concurrent writers: " + rounds(work.resolve("concurrent"), rounds, false)
                + " rounds of " + rounds + " lost committed updates");
        System.out.println("one writer at a time: " + rounds(work.resolve("serial"), rounds, true)
                + " rounds of " + rounds + " lost committed updates");
    }

    private static int rounds(Path dir, int rounds, boolean serial) throws Exception {
        int lost = 0;
        for (int r = 0; r < rounds; r++) {
            if (round(dir.resolve("r" + r), serial) != 0) {
                lost++;
            }
        }
        return lost;
    }

    /** Returns committed increments minus the counter (0 = nothing lost). */
    static long round(Path dir, boolean serial) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
        ReentrantLock writer = new ReentrantLock(true);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE c(id INT PRIMARY KEY, n BIGINT NOT NULL)");
            st.execute("INSERT INTO c VALUES (1, 0)");
            AtomicLong commits = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < 12; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    try (Connection k = DriverManager.getConnection(url, "sa", "");
                            PreparedStatement inc = k.prepareStatement("UPDATE c SET n = n + 1 WHERE id = 1")) {
                        k.setAutoCommit(false);
                        for (int i = 0; i < 300; i++) {
                            if (serial) {
                                writer.lock();
                            }
                            try {
                                inc.executeUpdate();
                                if ((i + thread) % 5 == 0) {
                                    k.rollback();
                                } else {
                                    k.commit();
                                    commits.incrementAndGet();
                                }
                            } finally {
                                if (serial) {
                                    writer.unlock();
                                }
                            }
                        }
                    } catch (SQLException e) {
                        errors.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
            try (ResultSet rs = st.executeQuery("SELECT n FROM c")) {
                rs.next();
                return commits.get() - rs.getLong(1);
            }
        }
    }
}
