package org.lockergate.store.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.lockergate.api.model.OutboxEvent;

/**
 * A separate process for {@link CrashDurabilityTest}: {@code write <data> <threads>} opens the store and writes
 * until killed, printing {@code ACK <id>;} after each {@code write()} returned; {@code hold <data>} opens the store,
 * prints {@code READY} and waits (to hold the file lock).
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[1]);
        H2Store store = H2Store.standalone(StoreSettings.defaults(data), Clock.systemUTC());
        if (!store.start()) {
            System.out.println("FAILED " + store.failure());
            System.exit(2);
        }
        PrintStream out = System.out;
        if (args[0].equals("hold")) {
            out.println("READY");
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        int threads = Integer.parseInt(args[2]);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (long i = 0;; i++) {
                    String id = thread + "-" + i;
                    try {
                        store.write("crash.write", tx -> {
                            tx.audit(Instant.now(), "crash", "crash.write", id, null);
                            tx.outbox(OutboxEvent.Stream.EVENTS, "crash.written", Instant.now(),
                                    "{\"id\":\"" + id + "\"}");
                            return null;
                        });
                    } catch (Exception e) {
                        synchronized (out) {
                            out.println("ERROR " + e);
                            out.flush();
                        }
                        return;
                    }
                    synchronized (out) { // one line per acknowledged write, never torn
                        out.println("ACK " + id + ";");
                        out.flush();
                    }
                }
            });
            th.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
