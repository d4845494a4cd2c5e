package org.lockergate.devices.lockboards.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.KerongSimulator;
import org.lockergate.devices.lockboards.LockBoard;

/**
 * {@code java -jar org.lockergate.devices.lockboards-*.jar cu48|kerong [--port N] [--bind ADDR] [--boards 1,2]
 * [--auto-close-ms N]}, then commands on standard input (see {@link #HELP}).
 */
public final class Main {

    static final String HELP = """
            commands / 命令:
              show                              every board
              door <board> <channel> open|close
              item <board> <channel> on|off
              jam <board> <channel> on|off
              fault <board> none|offline|slow|garbage|exception [slow-ms]
              clear <board>                     clear fault bits
              drop                              drop all TCP connections
              quit""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-h")) {
            usage(System.out);
            return;
        }
        String kind = args[0].toLowerCase(Locale.ROOT);
        int port = "cu48".equals(kind) ? 1502 : 4001;
        InetAddress bind = null;
        int[] boards = "cu48".equals(kind) ? new int[] {1} : new int[] {0};
        long autoClose = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--bind" -> bind = InetAddress.getByName(args[i + 1]);
                case "--boards" -> boards = Arrays.stream(args[i + 1].split(",")).map(String::strip)
                        .mapToInt(Integer::parseInt).toArray();
                case "--auto-close-ms" -> autoClose = Long.parseLong(args[i + 1]);
                default -> {
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        try (var sim = switch (kind) {
            case "cu48" -> Cu48Simulator.start(bind, port, boards);
            case "kerong" -> KerongSimulator.start(bind, port, boards);
            default -> throw new IllegalArgumentException("cu48 or kerong, not " + kind);
        }) {
            for (LockBoard board : sim.boards().values()) {
                board.autoClose(Duration.ofMillis(autoClose));
            }
            System.out.println(kind + " simulator listening on " + sim.endpoint() + ", boards "
                    + sim.boards().keySet());
            System.out.println(HELP);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                try {
                    switch (w[0]) {
                        case "", "#" -> {
                        }
                        case "show" -> sim.boards().values().forEach(System.out::println);
                        case "door" -> sim.board(i(w[1])).door(i(w[2]), "close".equals(w[3]));
                        case "item" -> sim.board(i(w[1])).item(i(w[2]), "on".equals(w[3]));
                        case "jam" -> sim.board(i(w[1])).jam(i(w[2]), "on".equals(w[3]));
                        case "fault" -> {
                            LockBoard board = sim.board(i(w[1]));
                            board.fault(LockBoard.Fault.valueOf(w[2].toUpperCase(Locale.ROOT)));
                            if (w.length > 3) {
                                board.slowDelay(Duration.ofMillis(Long.parseLong(w[3])));
                            }
                        }
                        case "clear" -> sim.board(i(w[1])).clearFaults();
                        case "drop" -> sim.dropConnections();
                        case "quit", "exit" -> {
                            return;
                        }
                        default -> System.out.println(HELP);
                    }
                } catch (RuntimeException e) {
                    System.out.println("? " + e.getMessage());
                }
            }
            // standard input closed (e.g. run in the background): serve until killed
            Thread.currentThread().join();
        }
    }

    private static int i(String s) {
        return Integer.parseInt(s);
    }

    private static void usage(PrintStream out) {
        out.println("usage: lockboards cu48|kerong [--port N (0 = any)] [--bind ADDR] [--boards 1,2]"
                + " [--auto-close-ms N]");
        out.println(HELP);
    }
}
