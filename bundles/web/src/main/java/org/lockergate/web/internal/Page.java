package org.lockergate.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;

/**
 * One page of a list: {@code items}, and when there may be more, {@code nextCursor} and {@code next} (the same
 * request with {@code cursor} set, relative to the host). The last page has both null. Field names are part of
 * the API.
 */
public record Page<T>(List<T> items, String nextCursor, String next) {

    /** A full page ({@code items.size() == limit}) may have a successor; a shorter one is the last. */
    static <T> Page<T> of(HttpServletRequest request, List<T> items, int limit, String cursorOfLast) {
        if (items.size() < limit || cursorOfLast == null) {
            return new Page<>(items, null, null);
        }
        return new Page<>(items, cursorOfLast, link(request, cursorOfLast));
    }

    private static String link(HttpServletRequest request, String cursor) {
        StringBuilder url = new StringBuilder(request.getRequestURI()).append('?');
        for (Enumeration<String> names = request.getParameterNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (name.equals("cursor")) {
                continue;
            }
            for (String value : request.getParameterValues(name)) {
                url.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        }
        return url.append("cursor=").append(encode(cursor)).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
