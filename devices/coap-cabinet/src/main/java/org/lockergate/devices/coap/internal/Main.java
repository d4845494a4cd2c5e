package org.lockergate.devices.coap.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PowerSource;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.TrafficGenerator;

/**
 * The command line of the standalone jar: one simulated cabinet (and optionally a kiosk with traffic) against a
 * running gateway, until Ctrl-C. Lines typed on standard input drive the cabinet (type {@code help}).
 */
public final class Main {

    private static final Set<String> FLAGS = Set.of("--traffic", "--cbor", "--verbose", "--help", "-h");
    private static final Set<String> VALUED = Set.of("--gateway", "--cabinet", "--group", "--compartments", "--vendor",
            "--model", "--firmware", "--boot", "--bind", "--lifetime", "--psk-identity", "--psk-key-hex", "--loss",
            "--jam", "--slow", "--courier", "--pin", "--token", "--notifications", "--rate", "--cycles",
            "--wrong-code-rate", "--long-stay-rate", "--pickup-delay", "--kiosk-id", "--kiosk-psk-key-hex", "--seed");

    private static final String HELP = """
            LockerGate CoAP 柜体模拟器 — LockerGate CoAP cabinet simulator (protocol v1)

            用法 Usage:
              java -jar org.lockergate.devices.coap-VERSION-standalone.jar --cabinet ID --group ID [选项 options]

            启动一个模拟主柜：向网关注册、按心跳刷新、上报门/物品等事件、响应网关开锁；可选再启动一个模拟终端
            和流量生成器（快递员存件、居民取件）。运行到 Ctrl-C 为止（退出时向网关注销）。
            Starts a simulated master cabinet: it registers with the gateway, refreshes by heartbeat, reports door and
            item events and answers the gateway's unlocks; optionally also a simulated kiosk and a traffic generator
            (couriers depositing, residents picking up). Runs until Ctrl-C (then deregisters).

            柜体 Cabinet:
              --gateway URI          网关地址，coap://主机:端口 或 coaps://主机:端口（DTLS-PSK）
                                     gateway address, coap://host:port or coaps://host:port (DTLS-PSK)
                                     [coap://127.0.0.1:5683]
              --cabinet ID           柜号；也是注册的 ep 和 PSK 身份（必填）
                                     cabinet id; also the registration's ep and the PSK identity (required)
              --group ID             所属柜组（必填） the group the cabinet belongs to (required)
              --compartments N       格口数，标签 1..N，尺寸按 S 69% / M 23% / L 8%，每块锁板 24 路 [24]
                                     number of compartments, labels 1..N, sizes S 69% / M 23% / L 8%, 24 per board
              --vendor TEXT          厂商 vendor [lockergate-sim]
              --model TEXT           型号 model [SIM-1]
              --firmware TEXT        固件版本 firmware version [1.0.0]
              --boot N               启动计数（每次启动应加一） boot counter (raise it at every start) [1]
              --bind HOST[:PORT]     本地地址；端口 0 = 任意 local address; port 0 = any free port [127.0.0.1:0]
              --lifetime S           注册时请求的 lt（秒） the lt (seconds) asked for when registering [60]
              --psk-identity ID      DTLS-PSK 身份 DTLS-PSK identity [= --cabinet]
              --psk-key-hex HEX      DTLS-PSK 密钥（十六进制），coaps:// 必填 DTLS-PSK key as hex, required for coaps://
              --cbor                 以 CBOR（内容格式 60）代替 JSON 发送 send CBOR (content-format 60) instead of JSON

            故障 Faults:
              --loss PCT             双向丢包百分比（在 UDP/DTLS 套接字上丢弃数据报） packet loss in percent, both
                                     directions (datagrams dropped on the UDP/DTLS socket) [0]
              --jam LABELS           卡住这些格口（逗号分隔），开锁时回答 jammed jam these compartments (comma-separated):
                                     unlocks answer "jammed"
              --slow MS              开锁应答延迟毫秒 delay unlock answers by MS milliseconds [0]

            流量 Traffic:
              --traffic              同时启动终端与流量生成器 also start a kiosk and the traffic generator
              --courier ID           快递员编号 courier id [ZTO-0001]
              --pin PIN              快递员 PIN courier PIN [123456]
              --token TOKEN          用登录令牌代替 PIN sign in with a login token instead of the PIN
              --notifications PATH   网关开发通知日志，从中读取取件码（--traffic 必填）
                                     the gateway's development notifications log to read pickup codes from
                                     (required with --traffic), e.g. runtime/target/lockergate/data/logs/notifications.log
              --rate N               每分钟存件数 deposits per minute [6]
              --cycles N             存件 N 次后停止（0 = 不停） stop after N deposits (0 = never) [0]
              --wrong-code-rate F    先输错码的取件比例 share of pickups that first type a wrong code [0.1]
              --long-stay-rate F     久放（超期）的包裹比例 share of parcels left for long (overdue) [0.05]
              --pickup-delay MIN-MAX 存件到取件的秒数范围 seconds between deposit and pickup [20-120]
              --kiosk-id ID          终端编号，也是其 PSK 身份 kiosk id, also its PSK identity [kiosk-GROUP]
              --kiosk-psk-key-hex HEX 终端的 DTLS-PSK 密钥（coaps:// 时） the kiosk's DTLS-PSK key (for coaps://)
              --seed N               随机种子，可重复 random seed, for repeatable runs

            其他 Other:
              --verbose              输出调试日志 debug logging
              --help, -h             显示本帮助 show this help

            运行时在标准输入键入命令 Commands on standard input while running:
              close L | put L | take L | force L | jam L | unjam L | offline | online | loss PCT | slow MS |
              tamper | fault CODE | camera ok|broken | power mains|battery | garbage | state | help

            例 Example:
              java -jar org.lockergate.devices.coap-0.1.0-SNAPSHOT-standalone.jar --gateway coap://127.0.0.1:5683 \\
                --cabinet c1 --group g1 --compartments 24 --traffic --courier ZTO-0001 --pin 123456 \\
                --notifications runtime/target/lockergate/data/logs/notifications.log --rate 6 --loss 10 --jam 3
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the command line; returns an exit code, or -1 after a clean Ctrl-C. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("用 --help 查看选项 — see --help for the options");
            return 2;
        }
        if (options.containsKey("--help") || options.containsKey("-h")) {
            out.print(HELP);
            return 0;
        }
        configureLogging(options.containsKey("--verbose"));

        SimulatedCabinet cabinet;
        SimulatedKiosk kiosk = null;
        NotificationLogTailer tailer = null;
        TrafficGenerator traffic = null;
        try {
            cabinet = cabinet(options);
            if (options.containsKey("--traffic")) {
                String notifications = options.get("--notifications");
                if (notifications == null) {
                    throw new IllegalArgumentException("--traffic 需要 --notifications PATH — --traffic needs --notifications PATH");
                }
                kiosk = kiosk(options);
                tailer = new NotificationLogTailer(Path.of(notifications));
                traffic = traffic(options, cabinet, kiosk, tailer);
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("用 --help 查看选项 — see --help for the options");
            return 2;
        }

        cabinet.start();
        if (traffic != null) {
            tailer.start();
            kiosk.start();
            traffic.start();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        SimulatedKiosk finalKiosk = kiosk;
        NotificationLogTailer finalTailer = tailer;
        TrafficGenerator finalTraffic = traffic;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finalTraffic != null) {
                finalTraffic.stop();
                finalKiosk.stop();
                finalTailer.close();
            }
            cabinet.stop();
            stopped.countDown();
        }, "lockergate-simulator-shutdown"));
        Thread console = new Thread(() -> console(cabinet, out), "lockergate-simulator-console");
        console.setDaemon(true);
        console.start();
        stopped.await();
        return -1;
    }

    private static SimulatedCabinet cabinet(Map<String, String> o) {
        String cabinetId = required(o, "--cabinet");
        SimulatedCabinet.Builder builder = SimulatedCabinet.builder()
                .cabinetId(cabinetId)
                .groupId(required(o, "--group"))
                .gateway(o.getOrDefault("--gateway", "coap://127.0.0.1:5683"))
                .compartments(CompartmentSpec.stock(integer(o, "--compartments", 24)))
                .vendor(o.getOrDefault("--vendor", "lockergate-sim"))
                .model(o.getOrDefault("--model", "SIM-1"))
                .firmware(o.getOrDefault("--firmware", "1.0.0"))
                .boot(integer(o, "--boot", 1))
                .bind(address(o.getOrDefault("--bind", "127.0.0.1:0")))
                .lifetimeSeconds(integer(o, "--lifetime", 60))
                .lossPercent(number(o, "--loss", 0))
                .cbor(o.containsKey("--cbor"));
        if (o.containsKey("--psk-key-hex")) {
            builder.psk(o.getOrDefault("--psk-identity", cabinetId), hex(o.get("--psk-key-hex"), "--psk-key-hex"));
        }
        SimulatedCabinet cabinet = builder.build();
        if (o.containsKey("--jam")) {
            for (String label : o.get("--jam").split(",")) {
                if (!label.isBlank()) {
                    cabinet.jam(label.trim());
                }
            }
        }
        cabinet.slow(Duration.ofMillis(integer(o, "--slow", 0)));
        return cabinet;
    }

    private static SimulatedKiosk kiosk(Map<String, String> o) {
        String groupId = required(o, "--group");
        String kioskId = o.getOrDefault("--kiosk-id", "kiosk-" + groupId);
        SimulatedKiosk.Builder builder = SimulatedKiosk.builder()
                .kioskId(kioskId)
                .groupId(groupId)
                .gateway(o.getOrDefault("--gateway", "coap://127.0.0.1:5683"));
        if (o.containsKey("--kiosk-psk-key-hex")) {
            builder.psk(kioskId, hex(o.get("--kiosk-psk-key-hex"), "--kiosk-psk-key-hex"));
        }
        return builder.build();
    }

    private static TrafficGenerator traffic(Map<String, String> o, SimulatedCabinet cabinet, SimulatedKiosk kiosk,
            NotificationLogTailer tailer) {
        TrafficGenerator.Builder builder = TrafficGenerator.builder()
                .kiosk(kiosk)
                .cabinets(List.of(cabinet))
                .codes(tailer)
                .depositsPerMinute(number(o, "--rate", 6))
                .cycles(integer(o, "--cycles", 0))
                .wrongCodeRate(number(o, "--wrong-code-rate", 0.1))
                .longStayRate(number(o, "--long-stay-rate", 0.05));
        String courier = o.getOrDefault("--courier", "ZTO-0001");
        if (o.containsKey("--token")) {
            builder.courierToken(courier, o.get("--token"));
        } else {
            builder.courier(courier, o.getOrDefault("--pin", "123456"));
        }
        String delay = o.getOrDefault("--pickup-delay", "20-120");
        String[] range = delay.split("-", 2);
        try {
            long min = Long.parseLong(range[0].trim());
            long max = range.length > 1 ? Long.parseLong(range[1].trim()) : min;
            builder.pickupDelay(Duration.ofSeconds(min), Duration.ofSeconds(max));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--pickup-delay 应为 MIN-MAX 秒 — --pickup-delay must be MIN-MAX seconds: "
                    + delay);
        }
        if (o.containsKey("--seed")) {
            builder.seed(Long.parseLong(o.get("--seed")));
        }
        return builder.build();
    }

    // ---------------------------------------------------------------------------------------------- console

    private static void console(SimulatedCabinet cabinet, PrintStream out) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                if (words[0].isEmpty()) {
                    continue;
                }
                try {
                    out.println(command(cabinet, words));
                } catch (RuntimeException e) {
                    out.println("? " + e.getMessage());
                }
            }
        } catch (java.io.IOException | InterruptedException e) {
            // standard input closed or interrupted: the simulator goes on
        }
    }

    private static String command(SimulatedCabinet c, String[] w) throws InterruptedException {
        String arg = w.length > 1 ? w[1] : null;
        switch (w[0].toLowerCase(Locale.ROOT)) {
            case "close": return "door closed: " + c.closeDoor(need(arg));
            case "put": return "item put: " + c.putItem(need(arg));
            case "take": return "item taken: " + c.takeItem(need(arg));
            case "force": return "forced open: " + c.openByForce(need(arg));
            case "jam": c.jam(need(arg)); return "jammed " + arg;
            case "unjam": c.unjam(need(arg)); return "unjammed " + arg;
            case "offline": c.offline(true); return "offline";
            case "online": c.offline(false); return "online";
            case "loss": c.lossPercent(Double.parseDouble(need(arg))); return "loss " + arg + "%";
            case "slow": c.slow(Duration.ofMillis(Long.parseLong(need(arg)))); return "slow " + arg + " ms";
            case "tamper": c.tamper(); return "tamper";
            case "fault": c.fault(need(arg)); return "fault " + arg;
            case "camera": c.setCamera("ok".equalsIgnoreCase(need(arg))); return "camera " + arg;
            case "power": c.setPower(PowerSource.valueOf(need(arg).toUpperCase(Locale.ROOT))); return "power " + arg;
            case "garbage": return "garbage: " + c.garbage();
            case "state":
                StringBuilder text = new StringBuilder();
                text.append(c.isRegistered() ? "registered " + c.registrationLocation() : "not registered")
                        .append(", boot ").append(c.boot()).append(", events acked ").append(c.lastAcked())
                        .append('/').append(c.lastSeq()).append(", pending ").append(c.pendingEvents().size());
                c.compartments().forEach(s -> text.append('\n').append("  ").append(s));
                return text.toString();
            case "help": return "close L | put L | take L | force L | jam L | unjam L | offline | online | loss PCT | "
                    + "slow MS | tamper | fault CODE | camera ok|broken | power mains|battery | garbage | state";
            default: return "? unknown command — 未知命令: " + w[0];
        }
    }

    private static String need(String arg) {
        if (arg == null) {
            throw new IllegalArgumentException("missing argument — 缺少参数");
        }
        return arg;
    }

    // ---------------------------------------------------------------------------------------------- parsing

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("未知参数 unexpected argument: " + arg);
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                options.put(name, "true");
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("未知选项 unknown option: " + name);
            }
            if (value == null) {
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException("选项缺少值 option needs a value: " + name);
                }
                value = list.get(++i);
            }
            options.put(name, value);
        }
        return options;
    }

    private static String required(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("缺少 " + name + " — " + name + " is required");
        }
        return value;
    }

    private static int integer(Map<String, String> o, String name, int fallback) {
        String value = o.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " 应为整数 — " + name + " must be a whole number: " + value);
        }
    }

    private static double number(Map<String, String> o, String name, double fallback) {
        String value = o.get(name);
        try {
            return value == null ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " 应为数字 — " + name + " must be a number: " + value);
        }
    }

    private static byte[] hex(String value, String name) {
        try {
            return HexFormat.of().parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " 应为十六进制 — " + name + " must be hex digits");
        }
    }

    static InetSocketAddress address(String text) {
        String host = text;
        int port = 0;
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            port = Integer.parseInt(text.substring(colon + 1));
        } else if (text.startsWith("[") && text.contains("]:")) {
            host = text.substring(1, text.indexOf(']'));
            port = Integer.parseInt(text.substring(text.indexOf("]:") + 2));
        }
        return new InetSocketAddress(host, port);
    }

    /** slf4j-simple in the standalone jar: time-stamped INFO lines, Californium's own chatter only from WARN on. */
    private static void configureLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "info");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.californium", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
    }
}
