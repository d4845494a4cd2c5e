package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import org.lockergate.fuzz.Input;

/**
 * Every REST body goes through {@link Json#readObject}: it yields a JSON object or an {@link ApiException} with a
 * precise 4xx (400 malformed/empty/not an object, 413 too large, 415 not JSON in UTF-8) and a message key that exists
 * in both languages. Then the fields the servlets read ({@link Json#requiredText}).
 */
class RestBodyFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void body(byte[] input) {
        // option byte: low bits pick the content type, bit 7 = a Content-Length that lies (3 bytes)
        String contentType = Input.pick(input, "application/json", "application/json; charset=UTF-8",
                "application/json;charset=\"utf8\"", "text/plain", "application/json; charset=latin1", null);
        boolean lieAboutLength = Input.bit(input, 7);
        byte[] body = Input.payload(input);
        HttpServletRequest request = request(contentType, lieAboutLength ? 3 : body.length, body);
        try {
            JsonNode node = Json.readObject(request);
            assertThat(node.isObject()).isTrue();
            assertThat(body.length).isLessThanOrEqualTo(Json.MAX_BODY_BYTES);
            for (String field : new String[] {"username", "password", "newPassword", "groupId"}) {
                try {
                    assertThat(Json.requiredText(node, field)).isNotBlank();
                } catch (ApiException e) {
                    checkError(e);
                }
            }
        } catch (ApiException e) {
            checkError(e);
        }
    }

    private static void checkError(ApiException e) {
        assertThat(e.status()).isIn(400, 413, 415);
        assertThat(e.code()).isNotBlank();
        // a text in both languages (the key itself comes back when there is none)
        assertThat(Messages.EN.text(e.messageKey(), e.args())).isNotEqualTo(e.messageKey());
        assertThat(Messages.ZH.text(e.messageKey(), e.args())).isNotEqualTo(e.messageKey());
    }

    static HttpServletRequest request(String contentType, long length, byte[] body) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(RestBodyFuzzTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> length;
                    case "getContentLength" -> (int) length;
                    case "getInputStream" -> stream;
                    case "getCharacterEncoding" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
