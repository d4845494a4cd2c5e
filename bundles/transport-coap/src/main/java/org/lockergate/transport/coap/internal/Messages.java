package org.lockergate.transport.coap.internal;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.stream.Collectors;
import org.lockergate.transport.coap.CoapMethod;

/**
 * Texts for operators (log lines) and for devices (the {@code message} of error bodies): Chinese first, then
 * English. Error codes stay English and never change.
 */
final class Messages {

    private Messages() {}

    // ---- error bodies ----

    static String notFound(String path) {
        return "未找到资源 " + forLog(path) + " / No resource at " + forLog(path);
    }

    static String methodNotAllowed(String method, String path, Collection<CoapMethod> allowed) {
        String list = allowed.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
        return forLog(path) + " 不支持 " + method + "（支持 " + list + "）/ " + method + " is not allowed on "
                + forLog(path) + " (allowed: " + list + ")";
    }

    static String tooLarge(int size, int max) {
        return "请求体 " + size + " 字节，超过上限 " + max + " 字节 / Request body of " + size
                + " bytes is larger than the limit of " + max + " bytes";
    }

    static String tooLarge(int max) {
        return "请求体超过上限 " + max + " 字节 / Request body is larger than the limit of " + max + " bytes";
    }

    static final String GONE = "资源已不存在 / The resource is gone";
    static final String BUSY = "网关繁忙，请稍后重试 / Gateway busy, try again shortly";
    static final String INTERNAL_ERROR = "网关内部错误，已记录 / Internal gateway error, logged";
    static final String EMPTY_BODY = "请求体为空，需要 JSON（50）或 CBOR（60）/ The request has no body; JSON (50) or"
            + " CBOR (60) expected";

    static String badJson(String format, String detail) {
        return "请求体不是有效的 " + format + "：" + detail + " / Invalid " + format + " body: " + detail;
    }

    static String badField(String field, String detail) {
        return "字段 " + field + " 无效：" + detail + " / Invalid field " + field + ": " + detail;
    }

    static String unsupportedFormat(int contentFormat, String name) {
        return "不支持的内容格式 " + contentFormat + "（" + name + "），请使用 50（application/json）或 60（application/cbor）"
                + " / Unsupported content format " + contentFormat + " (" + name
                + "); use 50 (application/json) or 60 (application/cbor)";
    }

    /** For error answers Californium makes itself (bad options, blockwise trouble, observe cancellation). */
    static String protocolError(String code, String detail) {
        return "CoAP 错误 " + code + " / CoAP error " + code + (detail == null || detail.isBlank() ? "" : ": "
                + forLog(detail));
    }

    // ---- log lines ----

    static String listening(InetSocketAddress plain, InetSocketAddress secure, boolean secureEnabled) {
        String zh = "CoAP 监听";
        String en = "CoAP listening on";
        String plainText = plain == null ? "-" : "udp " + hostAndPort(plain);
        String secureText = secure != null ? "udp " + hostAndPort(secure)
                : secureEnabled ? "-" : "off (secureEnabled=false)";
        return zh + " / " + en + " " + plainText + ", CoAPs (DTLS-PSK) on " + secureText;
    }

    static String bindFailed(boolean secure, InetSocketAddress address, Throwable why) {
        String scheme = secure ? "CoAPs (DTLS-PSK)" : "CoAP";
        String variable = secure ? "LOCKERGATE_COAPS_PORT" : "LOCKERGATE_COAP_PORT";
        String[] reason = reason(why);
        return scheme + " 无法监听 udp " + hostAndPort(address) + "（" + reason[0] + "），网关继续运行但没有该端点；请用 "
                + variable + " 换一个端口 / " + scheme + " cannot listen on udp " + hostAndPort(address) + " ("
                + reason[1] + "); the gateway runs on without it; set " + variable + " to another port";
    }

    static String badPort(boolean secure, String property, String value) {
        String variable = secure ? "LOCKERGATE_COAPS_PORT" : "LOCKERGATE_COAP_PORT";
        return (secure ? "CoAPs" : "CoAP") + " 端口无效：" + property + "（" + variable + "）= '" + forLog(value)
                + "'，不是 0-65535 的 UDP 端口，该端点关闭 / " + (secure ? "CoAPs" : "CoAP") + " port invalid: "
                + property + " (" + variable + ") '" + forLog(value) + "' is not a UDP port (0-65535); endpoint off";
    }

    static String handlerRefused(String owner, String why) {
        return "CoAP 处理器被拒绝（" + owner + "）/ CoAP handler refused (" + owner + "): " + why;
    }

    static String routeConflict(Route refused, Route serving) {
        return "CoAP 路径 " + refused.template() + " 已由 " + serving.owner() + " 提供，拒绝 " + refused.owner()
                + " / CoAP path " + refused.template() + " is already served by " + serving.owner() + " ("
                + serving.template() + "); refused " + refused.owner()
                + " (it takes over if the first one goes away)";
    }

    static String routeAdded(Route route) {
        return "CoAP 路径已注册 / CoAP route added: " + describe(route);
    }

    static String routeRemoved(Route route) {
        return "CoAP 路径已移除 / CoAP route removed: " + route.template() + " (" + route.owner() + ")";
    }

    static String routeTakenOver(Route route) {
        return "CoAP 路径改由等待中的处理器提供 / CoAP route taken over by the waiting handler: " + describe(route);
    }

    static String handlerFailed(Route route, String method, String path, InetSocketAddress peer, Throwable t) {
        return "CoAP 处理器出错 / CoAP handler failed: " + route.owner() + " on " + method + " " + forLog(path)
                + " from " + hostAndPort(peer) + ": " + t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
    }

    static String handlerNoAnswer(Route route, String method, String path) {
        return "CoAP 处理器未应答，已回复 5.00 / CoAP handler returned without answering, sent 5.00: " + route.owner()
                + " on " + method + " " + forLog(path);
    }

    static String pskLoaded(int count, Object file) {
        return "CoAP PSK 文件已加载：" + count + " 个身份 / CoAP PSK file loaded: " + count + " identities from " + file;
    }

    static String pskBadLine(Object file, int line, String why) {
        return "CoAP PSK 文件第 " + line + " 行被忽略 / CoAP PSK file " + file + " line " + line + " ignored: " + why;
    }

    static String pskUnreadable(Object file, Throwable why) {
        return "CoAP PSK 文件无法读取，保留原有密钥 / CoAP PSK file " + file + " cannot be read, keeping the keys"
                + " loaded before: " + why.getClass().getSimpleName() + ": "
                + oneLine(String.valueOf(why.getMessage()));
    }

    static String pskPermissions(Object path, String before, String after) {
        return "CoAP PSK 文件权限过宽，已改为 " + after + " / CoAP PSK " + path + " was " + before + ", set to " + after;
    }

    static String pskUnknownIdentity(String identity, long suppressed) {
        return "DTLS-PSK 握手失败：未知身份 '" + forLog(identity) + "' / DTLS-PSK handshake refused: unknown identity '"
                + forLog(identity) + "'" + (suppressed > 0 ? " (" + suppressed + " more since the last report)" : "");
    }

    // ---- helpers ----

    private static String describe(Route route) {
        String methods = route.methods().stream().sorted().map(Enum::name).collect(Collectors.joining(","));
        return route.template() + " [" + methods + (route.observable() ? ", observable" : "") + "] → "
                + route.owner();
    }

    private static String[] reason(Throwable why) {
        if (why instanceof BindException) {
            return new String[] {"端口已被占用或无权使用",
                "port in use or not permitted: " + oneLine(String.valueOf(why.getMessage()))};
        }
        String text = why.getClass().getSimpleName() + ": " + oneLine(String.valueOf(why.getMessage()));
        return new String[] {text, text};
    }

    static String hostAndPort(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A text from the network made safe for one log line: no control characters, at most 96 characters. */
    static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), 96) + 3);
        text.codePoints().limit(96).forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > 96) {
            safe.append("...");
        }
        return safe.toString();
    }
}
