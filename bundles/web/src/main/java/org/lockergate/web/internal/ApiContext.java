package org.lockergate.web.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of the REST API: everything under {@value #PATH}.
 *
 * <p>A context of its own, rather than the whiteboard's default one, keeps the API's catch-all servlet and its
 * JSON error pages away from the console and from other bundles' servlets. Servlets and filters join it with
 * {@code @HttpWhiteboardContextSelect(ApiContext.SELECT)}; their patterns are relative to {@value #PATH}.
 * Security is not handled here but in {@link AuthFilter}.
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = ApiContext.NAME, path = ApiContext.PATH)
public class ApiContext extends ServletContextHelper {

    /** The context name ({@code osgi.http.whiteboard.context.name}). */
    public static final String NAME = "org.lockergate.web.api";

    /** The context path ({@code osgi.http.whiteboard.context.path}). */
    public static final String PATH = "/api/v1";

    /** The {@code osgi.http.whiteboard.context.select} filter for servlets and filters of the API. */
    public static final String SELECT = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + NAME + ")";
}
