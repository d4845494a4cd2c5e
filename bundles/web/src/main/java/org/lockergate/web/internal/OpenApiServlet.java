package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/openapi.json} (anonymous): the OpenAPI 3.1 description of this API, kept by hand in the
 * bundle resource {@value #RESOURCE}. {@code OpenApiDocumentTest} fails when a servlet is missing from it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.openapi")
@HttpWhiteboardServletPattern(OpenApiServlet.PATH)
public class OpenApiServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/openapi.json";

    /** Where the document lives in the bundle. */
    static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    public OpenApiServlet() {
        super("GET");
        this.document = load();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.sendBytes(response, 200, document);
    }

    static byte[] load() {
        try (InputStream in = OpenApiServlet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundle resource " + RESOURCE + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
