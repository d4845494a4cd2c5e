package org.lockergate.management.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.Inventory;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.SnapshotInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST resources of remote management under {@code /api/v1/management}, in the web bundle's API context: its
 * authentication filter has already admitted the request (401 otherwise) and put the operator in a request
 * attribute; here the technician role is required (admin has every role).
 *
 * <pre>
 * GET    /management/inventory
 * POST   /management/bundles                      install  (JSON {url, signature, sha256?, reason?} or the jar itself)
 * POST   /management/bundles/{bsn}/update         update   (same bodies)
 * POST   /management/bundles/{bsn}/rollback|start|stop
 * DELETE /management/bundles/{bsn}
 * GET    /management/configuration                the whole configuration as one document
 * PUT    /management/configuration?reason=…       import (a snapshot of the current one is taken first)
 * GET    /management/features                     POST /management/features {name, reason?}  DELETE …/features/{name}
 * GET    /management/snapshots                    POST /management/snapshots {reason}
 * POST   /management/snapshots/{id}/restore {reason}
 * </pre>
 *
 * A jar uploaded as the body ({@code application/java-archive} or {@code application/octet-stream}) carries its
 * signature in the header {@value #SIGNATURE_HEADER} and the reason in the query parameter {@code reason}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=org.lockergate.web.api)")
@HttpWhiteboardServletName("org.lockergate.management.rest")
@HttpWhiteboardServletPattern("/management/*")
public class ManagementServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServlet.class);

    /** The web bundle's request attribute holding the authenticated operator. */
    static final String OPERATOR_ATTRIBUTE = "org.lockergate.web.operator";
    static final String SIGNATURE_HEADER = "X-LockerGate-Signature";
    private static final long MAX_JSON = 4L * 1024 * 1024;

    private final transient ManagementService management;
    private final transient ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Activate
    public ManagementServlet(@Reference ManagementService management) {
        this.management = management;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        try {
            Operator operator = (Operator) request.getAttribute(OPERATOR_ATTRIBUTE);
            if (operator == null) {
                send(response, 401, error("unauthorized", "需要登录 / Log in first", 401));
                return;
            }
            if (!operator.hasAnyRole(Role.TECHNICIAN)) {
                send(response, 403, error("forbidden", "权限不足，需要角色 technician / Permission denied: role "
                        + "technician required", 403));
                return;
            }
            route(request, response, operator);
        } catch (ManagementException e) {
            int status = status(e);
            send(response, status, error(e.code(), e.getMessage(), status));
        } catch (BadRequest e) {
            send(response, 400, error(e.code, e.getMessage(), 400));
        } catch (RuntimeException e) {
            LOG.error("Management request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            send(response, 500, error("internal_error", "内部错误 / Internal error", 500));
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response, Operator operator)
            throws IOException, ManagementException, BadRequest {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        List<String> parts = new ArrayList<>(List.of(path.split("/")));
        parts.removeIf(String::isEmpty);
        String method = request.getMethod();
        String resource = parts.isEmpty() ? "" : parts.get(0);
        switch (resource) {
            case "inventory" -> {
                requireMethod(method, "GET");
                send(response, 200, mapper.valueToTree(management.inventory()));
            }
            case "bundles" -> bundles(request, response, operator, method, parts);
            case "configuration" -> {
                // the configuration holds operators and their roles (and password hashes): only an admin may read or
                // replace it, or a technician could make himself an admin
                if (!operator.hasRole(Role.ADMIN)) {
                    send(response, 403, error("forbidden", "权限不足，需要角色 admin / Permission denied: role admin "
                            + "required", 403));
                    return;
                }
                if (method.equals("GET")) {
                    response.setStatus(200);
                    response.setContentType("application/json;charset=UTF-8");
                    response.getOutputStream().write(management.exportConfiguration().getBytes(StandardCharsets.UTF_8));
                } else {
                    requireMethod(method, "PUT");
                    String document = new String(readBody(request, MAX_JSON), StandardCharsets.UTF_8);
                    SnapshotInfo before = management.importConfiguration(document, change(operator,
                            request.getParameter("reason")));
                    ObjectNode body = mapper.createObjectNode();
                    body.put("imported", true);
                    body.set("snapshotBefore", mapper.valueToTree(before));
                    send(response, 200, body);
                }
            }
            case "snapshots" -> snapshots(request, response, operator, method, parts);
            case "backups" -> backups(request, response, operator, method, parts);
            case "features" -> features(request, response, operator, method, parts);
            default -> send(response, 404, error("not_found", "没有此资源 / No such resource: " + path, 404));
        }
    }

    private void bundles(HttpServletRequest request, HttpServletResponse response, Operator operator, String method,
            List<String> parts) throws IOException, ManagementException, BadRequest {
        if (parts.size() == 1) {
            if (method.equals("GET")) {
                send(response, 200, mapper.valueToTree(management.inventory().bundles()));
                return;
            }
            requireMethod(method, "POST");
            Upload upload = upload(request);
            List<String> steps = Collections.synchronizedList(new ArrayList<>());
            BundleOutcome outcome = management.install(upload.artifact, change(operator, upload.reason),
                    collector(steps));
            sendOutcome(response, outcome, steps, 201);
            return;
        }
        String bsn = parts.get(1);
        if (parts.size() == 2) {
            requireMethod(method, "DELETE");
            sendOutcome(response, management.uninstall(bsn, change(operator, request.getParameter("reason"))),
                    List.of(), 200);
            return;
        }
        requireMethod(method, "POST");
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        BundleOutcome outcome = switch (parts.get(2)) {
            case "update" -> {
                Upload upload = upload(request);
                yield management.update(bsn, upload.artifact, change(operator, upload.reason), collector(steps));
            }
            case "rollback" -> management.rollback(bsn, change(operator, reason(request)), collector(steps));
            case "start" -> management.start(bsn, change(operator, reason(request)));
            case "stop" -> management.stop(bsn, change(operator, reason(request)));
            default -> throw new BadRequest("not_found", "没有此操作 / No such operation: " + parts.get(2));
        };
        sendOutcome(response, outcome, steps, 200);
    }

    private void snapshots(HttpServletRequest request, HttpServletResponse response, Operator operator,
            String method, List<String> parts) throws IOException, ManagementException, BadRequest {
        if (parts.size() == 1 && method.equals("GET")) {
            send(response, 200, mapper.valueToTree(management.snapshots()));
        } else if (parts.size() == 1) {
            requireMethod(method, "POST");
            send(response, 201, mapper.valueToTree(management.snapshot(change(operator, reason(request)))));
        } else if (parts.size() == 3 && parts.get(2).equals("restore")) {
            requireMethod(method, "POST");
            if (!operator.hasRole(Role.ADMIN)) {
                send(response, 403, error("forbidden", "权限不足，需要角色 admin / Permission denied: role admin required",
                        403));
                return;
            }
            SnapshotInfo before = management.rollbackConfiguration(parts.get(1), change(operator, reason(request)));
            ObjectNode body = mapper.createObjectNode();
            body.put("restored", parts.get(1));
            body.set("snapshotBefore", mapper.valueToTree(before));
            send(response, 200, body);
        } else {
            throw new BadRequest("not_found", "没有此资源 / No such resource");
        }
    }

    private void features(HttpServletRequest request, HttpServletResponse response, Operator operator, String method,
            List<String> parts) throws IOException, ManagementException, BadRequest {
        if (parts.size() == 1 && method.equals("GET")) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode installed = body.putArray("installed");
            management.inventory().features().forEach(installed::add);
            send(response, 200, body);
        } else if (parts.size() == 1 && !isJson(request)) {
            // a signed feature archive, uploaded as the body (application/zip or octet-stream)
            requireMethod(method, "POST");
            installArchive(response, operator, upload(request));
        } else if (parts.size() == 1) {
            requireMethod(method, "POST");
            JsonNode body = json(request);
            if (body.hasNonNull("url")) {
                // a signed feature archive to download: {url, signature, sha256?, reason?}
                installArchive(response, operator, upload(body));
                return;
            }
            String name = body.path("name").asText(null);
            if (name == null || name.isBlank()) {
                throw new BadRequest("bad_request", "需要 name 字段 / Field 'name' is required");
            }
            org.lockergate.management.FeatureOutcome outcome = management.installFeature(name,
                    change(operator, body.path("reason").asText(null)));
            send(response, outcome.rolledBack() ? 422 : 201, mapper.valueToTree(outcome));
        } else if (parts.size() == 2) {
            requireMethod(method, "DELETE");
            send(response, 200, mapper.valueToTree(management.uninstallFeature(parts.get(1),
                    change(operator, request.getParameter("reason")))));
        } else {
            throw new BadRequest("not_found", "没有此资源 / No such resource");
        }
    }

    private void installArchive(HttpServletResponse response, Operator operator, Upload upload)
            throws IOException, ManagementException {
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        org.lockergate.management.FeatureOutcome outcome = management.installFeature(upload.artifact,
                change(operator, upload.reason), collector(steps));
        ObjectNode body = mapper.valueToTree(outcome);
        body.set("progress", mapper.valueToTree(steps));
        send(response, outcome.rolledBack() ? 422 : 201, body);
    }

    /** Backups hold the secrets: only an admin writes or downloads them. */
    private void backups(HttpServletRequest request, HttpServletResponse response, Operator operator, String method,
            List<String> parts) throws IOException, ManagementException, BadRequest {
        if (!operator.hasRole(Role.ADMIN)) {
            send(response, 403, error("forbidden", "权限不足，需要角色 admin / Permission denied: role admin required",
                    403));
            return;
        }
        if (parts.size() == 1 && method.equals("GET")) {
            ArrayNode list = mapper.createArrayNode();
            for (java.nio.file.Path file : management.backups()) {
                ObjectNode item = list.addObject();
                item.put("name", file.getFileName().toString());
                item.put("bytes", java.nio.file.Files.size(file));
            }
            send(response, 200, list);
        } else if (parts.size() == 1) {
            requireMethod(method, "POST");
            org.lockergate.management.BackupInfo info = management.backup(change(operator, reason(request)));
            ObjectNode body = mapper.createObjectNode();
            body.put("name", info.file().getFileName().toString());
            body.put("createdAt", info.createdAt().toString());
            body.put("bytes", info.bytes());
            body.put("entries", info.entries());
            body.put("sha256", info.sha256());
            send(response, 201, body);
        } else if (parts.size() == 2) {
            requireMethod(method, "GET");
            String name = parts.get(1);
            java.nio.file.Path file = management.backups().stream()
                    .filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new ManagementException(ManagementException.Kind.NOT_FOUND, "backup.unknown",
                            "没有此备份 / No backup " + name));
            response.setStatus(200);
            response.setContentType("application/zip");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
            response.setContentLengthLong(java.nio.file.Files.size(file));
            java.nio.file.Files.copy(file, response.getOutputStream());
        } else {
            throw new BadRequest("not_found", "没有此资源 / No such resource");
        }
    }

    private record Upload(Artifact artifact, String reason) {
    }

    private Upload upload(HttpServletRequest request) throws IOException, BadRequest, ManagementException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase();
        if (type.startsWith("application/json")) {
            return upload(json(request));
        }
        if (type.startsWith("application/java-archive") || type.startsWith("application/octet-stream")
                || type.startsWith("application/zip")) {
            String signature = request.getHeader(SIGNATURE_HEADER);
            byte[] jar = readBody(request, 64L * 1024 * 1024);
            return new Upload(Artifact.upload(jar, signature == null ? "" : signature), request.getParameter("reason"));
        }
        throw new BadRequest("unsupported_media_type", "请求体须为 JSON 或 jar/zip / The body must be application/json "
                + "({url, signature}) or the jar or feature zip itself (application/java-archive or application/zip, "
                + "signature in " + SIGNATURE_HEADER + ")");
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || type.toLowerCase().startsWith("application/json");
    }

    private Upload upload(JsonNode body) throws BadRequest {
        {
            String url = body.path("url").asText(null);
            String signature = body.path("signature").asText(null);
            if (url == null || signature == null) {
                throw new BadRequest("bad_request", "需要 url 和 signature 字段 / Fields 'url' and 'signature' are required");
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("bad_request", "url 无效 / Invalid url: " + e.getMessage());
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                // a file: URL would let a REST caller read the gateway's own disk
                throw new BadRequest("bad_request", "只接受 http/https 地址 / Only http and https URLs are accepted");
            }
            return new Upload(new Artifact(uri, null, signature, body.path("sha256").asText(null)),
                    body.path("reason").asText(null));
        }
    }

    private String reason(HttpServletRequest request) throws IOException, BadRequest {
        String type = request.getContentType();
        if (type != null && type.toLowerCase().startsWith("application/json")) {
            return json(request).path("reason").asText(null);
        }
        return request.getParameter("reason");
    }

    private JsonNode json(HttpServletRequest request) throws IOException, BadRequest {
        byte[] body = readBody(request, MAX_JSON);
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequest("bad_request", "请求体须为 JSON 对象 / The body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("bad_request", "JSON 格式错误 / Malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static byte[] readBody(HttpServletRequest request, long limit) throws IOException, BadRequest {
        if (request.getContentLengthLong() > limit) {
            throw new BadRequest("payload_too_large", "请求体过大 / The body is larger than " + limit + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (body.length > limit) {
                throw new BadRequest("payload_too_large", "请求体过大 / The body is larger than " + limit + " bytes");
            }
            return body;
        }
    }

    private static Progress collector(List<String> steps) {
        return (stage, percent, message) -> steps.add(stage + (percent >= 0 ? " " + percent + "%" : "") + " — "
                + message);
    }

    private void sendOutcome(HttpServletResponse response, BundleOutcome outcome, List<String> steps, int okStatus)
            throws IOException {
        ObjectNode body = mapper.valueToTree(outcome);
        ArrayNode progress = body.putArray("progress");
        steps.forEach(progress::add);
        if (outcome.rolledBack()) {
            body.put("error", "bundle.rolled_back");
            body.put("status", 422);
            send(response, 422, body);
        } else {
            send(response, okStatus, body);
        }
    }

    private static Change change(Operator operator, String reason) {
        return new Change("operator:" + operator.username(), reason);
    }

    private static void requireMethod(String method, String allowed) throws BadRequest {
        if (!method.equals(allowed)) {
            throw new BadRequest("method_not_allowed", "不支持的方法 / Method " + method + " not allowed here (use "
                    + allowed + ")");
        }
    }

    static int status(ManagementException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case UNTRUSTED -> 422;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FAILED -> e.code().startsWith("download.") ? 502 : 500;
        };
    }

    private ObjectNode error(String code, String message, int status) {
        ObjectNode body = mapper.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        body.put("status", status);
        return body;
    }

    private void send(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }

    /** A request the servlet itself refuses (400-class), with a stable code. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
