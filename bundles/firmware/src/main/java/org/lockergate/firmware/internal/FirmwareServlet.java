package org.lockergate.firmware.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST resources of cabinet firmware under {@code /api/v1/firmware}, in the web bundle's API context (its
 * authentication filter has admitted the request and put the operator in a request attribute); role technician
 * (admin has every role).
 *
 * <pre>
 * GET  /firmware                                   staged images and rollouts
 * PUT  /firmware/images?vendor=…&amp;model=…&amp;version=…  the image as the body (application/octet-stream), its
 *                                                  signature in X-LockerGate-Signature, optionally X-LockerGate-SHA256
 * POST /firmware/rollouts {vendor, model, version} starts a rollout (202 with the plan)
 * GET  /firmware/rollouts/{id}                     the rollout, cabinet by cabinet
 * </pre>
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=org.lockergate.web.api)")
@HttpWhiteboardServletName("org.lockergate.firmware.rest")
@HttpWhiteboardServletPattern("/firmware/*")
public class FirmwareServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FirmwareServlet.class);
    static final String OPERATOR_ATTRIBUTE = "org.lockergate.web.operator";
    static final String SIGNATURE_HEADER = "X-LockerGate-Signature";
    static final String SHA256_HEADER = "X-LockerGate-SHA256";

    private final transient FirmwareManager firmware;
    private final transient ObjectMapper mapper = new ObjectMapper();

    @Activate
    public FirmwareServlet(@Reference FirmwareManager firmware) {
        this.firmware = firmware;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        try {
            Operator operator = (Operator) request.getAttribute(OPERATOR_ATTRIBUTE);
            if (operator == null) {
                send(response, 401, error("unauthorized", "需要登录 / Log in first"));
                return;
            }
            if (!operator.hasAnyRole(Role.TECHNICIAN)) {
                send(response, 403, error("forbidden", "权限不足，需要角色 technician / Permission denied: role "
                        + "technician required"));
                return;
            }
            route(request, response, "operator:" + operator.username());
        } catch (FirmwareException e) {
            Map<String, Object> body = error(e.code(), e.getMessage());
            e.extra().forEach(body::putIfAbsent);
            send(response, e.status(), body);
        } catch (RuntimeException e) {
            LOG.error("Firmware request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            send(response, 500, error("internal_error", "内部错误 / Internal error"));
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response, String actor)
            throws IOException, FirmwareException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        if (path.equals("/") && method.equals("GET")) {
            send(response, 200, Map.of("images", firmware.images().stream().map(FirmwareServlet::image).toList(),
                    "rollouts", firmware.rollouts().stream().map(FirmwareManager.Rollout::describe).toList()));
        } else if (path.equals("/images") && method.equals("PUT")) {
            byte[] image;
            try (InputStream in = request.getInputStream()) {
                image = in.readNBytes(64 * 1024 * 1024 + 1);
            }
            FirmwareImage staged = firmware.stage(request.getParameter("vendor"), request.getParameter("model"),
                    request.getParameter("version"), image, request.getHeader(SIGNATURE_HEADER),
                    request.getHeader(SHA256_HEADER), actor);
            send(response, 201, image(staged));
        } else if (path.equals("/rollouts") && method.equals("POST")) {
            JsonNode body;
            try (InputStream in = request.getInputStream()) {
                body = mapper.readTree(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new FirmwareException(400, "bad_json", "请求体不是有效的 JSON / The body is not valid JSON");
            }
            String vendor = text(body, "vendor");
            String model = text(body, "model");
            String version = text(body, "version");
            send(response, 202, firmware.rollout(vendor, model, version, actor).describe());
        } else if (path.startsWith("/rollouts/") && method.equals("GET")) {
            String id = path.substring("/rollouts/".length());
            send(response, 200, firmware.rollout(id).orElseThrow(() -> new FirmwareException(404, "not_found",
                    "未知的升级 " + id + " / Unknown rollout " + id)).describe());
        } else {
            throw new FirmwareException(404, "not_found", "没有该资源 / No such resource: " + method + " "
                    + request.getRequestURI());
        }
    }

    private static String text(JsonNode body, String field) throws FirmwareException {
        if (body == null || !body.path(field).isTextual() || body.path(field).asText().isBlank()) {
            throw new FirmwareException(400, "bad_request", "缺少字段 " + field + " / Missing field " + field,
                    Map.of("field", field));
        }
        return body.path(field).asText();
    }

    static Map<String, Object> image(FirmwareImage image) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vendor", image.vendor());
        body.put("model", image.model());
        body.put("version", image.version());
        body.put("sha256", image.sha256());
        body.put("bytes", image.bytes());
        body.put("signer", image.signer());
        body.put("stagedBy", image.stagedBy());
        body.put("stagedAt", image.stagedAt().toString());
        return body;
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private void send(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(mapper.writeValueAsBytes(body));
    }
}
