package org.lockergate.console.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The console page and its static files, anonymous, in the whiteboard's default context: {@code GET /} answers
 * {@code index.html} itself (200, no redirect), {@code GET /app.js} etc. the files beside it. Only flat names of
 * known types are served, so no path can reach outside the console's folder. Everything the page shows comes
 * from {@code /api/v1} after login; the page itself holds no data.
 *
 * <p>Registered as the default context's {@code /} servlet: exact patterns other bundles register in the default
 * context (e.g. {@code /metrics}) win over it, and the API context at {@code /api/v1} is a context of its own.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("org.lockergate.console")
@HttpWhiteboardServletPattern(ConsoleServlet.PATTERN)
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATTERN = "/";
    static final String FOLDER = "/org/lockergate/console/static/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg|ico|png)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "ico", "image/x-icon", "png", "image/png");

    /**
     * Scripts, styles and connections only from the gateway itself: no CDN (gateways may be offline) and no
     * inline script an injected string could use.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final transient Map<String, Asset> cache = new ConcurrentHashMap<>();

    private record Asset(byte[] bytes, String type, String etag) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        String path = (request.getServletPath() == null ? "" : request.getServletPath())
                + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String name = path.isEmpty() || path.equals("/") ? "index.html" : path.substring(1);
        Asset asset = NAME.matcher(name).matches() ? asset(name) : null;
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (asset == null) {
            response.setStatus(404);
            response.setContentType("text/plain; charset=utf-8");
            response.getWriter().write("404 未找到 / Not found\n");
            return;
        }
        if (name.endsWith(".html")) {
            response.setHeader("Content-Security-Policy", CSP);
            response.setHeader("X-Frame-Options", "DENY");
        }
        // always revalidate (cheap with the ETag): after a bundle update the browser must not keep old scripts
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", asset.etag());
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (asset.etag().equals(ifNoneMatch)) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType(asset.type());
        response.setContentLength(asset.bytes().length);
        if (body) {
            response.getOutputStream().write(asset.bytes());
        }
    }

    private Asset asset(String name) throws IOException {
        Asset cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            Asset asset = new Asset(bytes, type, "\"" + sha256(bytes).substring(0, 20) + "\"");
            cache.put(name, asset);
            return asset;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
