package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.transport.coap.CoapException;

/**
 * The kiosk's request bodies: a deposit ({@link DepositsHandler#request}) and the fields of a pickup and a sign-in,
 * read as their handlers read them. Anything but a request or a 4.00 naming the field is a crash.
 */
class KioskPayloadFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");
    private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");

    @FuzzTest(maxDuration = "10m")
    void deposit(byte[] input) {
        JsonNode body = tree(input);
        try {
            DepositRequest request = DepositsHandler.request(Fields.of(body));
            assertThat(request.waybill()).matches(DepositsHandler.WAYBILL);
            assertThat(request.phone()).matches(DepositsHandler.PHONE);
        } catch (CoapException e) {
            assertThat(e.code().codeClass()).isEqualTo(4);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void pickupAndSignIn(byte[] input) {
        JsonNode body = tree(input);
        try {
            Fields fields = Fields.of(body);
            String code = fields.string("code", CODE, "须为 6 位数字", "must be 6 digits");
            assertThat(code).hasSize(6);
            fields.optionalString("phoneLast4", LAST4, "须为 4 位数字", "must be 4 digits");
            fields.text("courierId", 64);
            fields.bool("preferLow", false);
            Fields nested = fields.object("declared", false);
            if (nested != null) {
                nested.time("at");
            }
        } catch (CoapException e) {
            assertThat(e.code().codeClass()).isEqualTo(4);
        }
    }

    private static JsonNode tree(byte[] input) {
        try {
            return JSON.readTree(input);
        } catch (JsonProcessingException e) {
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
