package org.lockergate.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** CSV exports (RFC 4180, UTF-8 with a BOM so spreadsheet programs read the Chinese right, CRLF line ends). */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private Csv() {
    }

    /** Whether the caller asked for CSV: {@code ?format=csv}, or {@code Accept: text/csv}. */
    static boolean wanted(HttpServletRequest request) {
        String format = request.getParameter("format");
        if (format != null) {
            if (format.equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.equalsIgnoreCase("json")) {
                return false;
            }
            throw ApiException.badRequest("bad_request.format", "format");
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE);
    }

    static void send(HttpServletResponse response, String filename, List<String> header, List<List<Object>> rows)
            throws IOException {
        StringBuilder out = new StringBuilder("\uFEFF");
        line(out, header);
        for (List<Object> row : rows) {
            line(out, row);
        }
        Json.commonHeaders(response);
        response.setStatus(200);
        response.setContentType(MEDIA_TYPE + ";charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        response.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder out, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String text = fields.get(i) == null ? "" : fields.get(i).toString();
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                    || text.indexOf('\r') >= 0) {
                out.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                out.append(text);
            }
        }
        out.append("\r\n");
    }
}
