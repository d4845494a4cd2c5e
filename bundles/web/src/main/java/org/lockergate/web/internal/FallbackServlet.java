package org.lockergate.web.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The API context's catch-all: any path no resource claims answers 404 {@code not_found} (after
 * authentication, see {@link AuthFilter}), and as the context's error page for 4xx and 5xx it renders errors the
 * container raises itself ({@code sendError}, an exception escaping a filter) in the same JSON shape.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.fallback")
@HttpWhiteboardServletPattern(FallbackServlet.PATH)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
public class FallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/*";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Json.sendError(request, response, containerError(status instanceof Integer code ? code : 500));
        } else {
            Json.sendError(request, response, ApiException.notFound());
        }
    }

    static ApiException containerError(int status) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "client_error";
        };
        String key = status >= 500 ? "server_error" : "client_error";
        return new ApiException(status, code, key, String.valueOf(status));
    }
}
