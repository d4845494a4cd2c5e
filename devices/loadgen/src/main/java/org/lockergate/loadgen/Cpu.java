package org.lockergate.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from {@code /proc} (Linux): of a process (the gateway's JVM, this JVM) and of the whole machine, so a run
 * can say how much CPU the system under test, the load client and everything else on this shared machine used.
 */
final class Cpu {

    /** Clock ticks per second of {@code /proc} figures ({@code getconf CLK_TCK}); 100 on Linux x86 and arm. */
    private static final long TICKS = Long.getLong("loadgen.clktck", 100);

    private Cpu() {
    }

    /** User + system CPU of a process in nanoseconds, or -1 when it cannot be read. */
    static long processNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (field 14), stime (field 15)
            return ticks * 1_000_000_000L / TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long ownNanos() {
        return processNanos(ProcessHandle.current().pid());
    }

    /** {busy, total} CPU nanoseconds of the whole machine (all cores), or {-1, -1}. */
    static long[] machineNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long total = 0;
                    for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                        total += Long.parseLong(f[i]);
                    }
                    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                    return new long[] {(total - idle) * 1_000_000_000L / TICKS, total * 1_000_000_000L / TICKS};
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return new long[] {-1, -1};
    }

    /** The 1-minute load average, or NaN. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A CPU snapshot of the gateway (pid, or -1 for none), this JVM and the machine. */
    record Snapshot(long wallNanos, long gatewayNanos, long selfNanos, long machineBusyNanos) {
        static Snapshot take(long gatewayPid) {
            return new Snapshot(System.nanoTime(), gatewayPid > 0 ? processNanos(gatewayPid) : -1, ownNanos(),
                    machineNanos()[0]);
        }

        /** CPU use between two snapshots in cores (CPU-seconds per second): {gateway, load, others, machine}. */
        double[] coresSince(Snapshot before) {
            double wall = (wallNanos - before.wallNanos) / 1e9;
            double gw = gatewayNanos < 0 ? 0 : (gatewayNanos - before.gatewayNanos) / 1e9 / wall;
            double self = (selfNanos - before.selfNanos) / 1e9 / wall;
            double machine = (machineBusyNanos - before.machineBusyNanos) / 1e9 / wall;
            return new double[] {gw, self, Math.max(0, machine - gw - self), machine};
        }
    }
}
