package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.fuzz.Input;
import org.lockergate.transport.coap.CoapException;

/**
 * Every CoAP request body (cabinets and kiosks) goes through {@link Codec#read}: JSON for content-format 50 or
 * none, CBOR for 60. Anything else than a tree or a {@link CoapException} (a 4.xx answer) is a crash.
 */
class CoapCodecFuzzTest {

    private static final Codec CODEC = new Codec();

    @FuzzTest(maxDuration = "10m")
    void body(byte[] input) {
        int format = Input.pick(input, CoapCall.JSON, CoapCall.CBOR, -1, 0, 41);
        byte[] payload = Input.payload(input);
        try {
            JsonNode node = CODEC.read(payload, format);
            assertThat(node).isNotNull();
            assertThat(node.isMissingNode()).isFalse();
        } catch (CoapException e) {
            assertThat(e.code().codeClass()).as("a client error (4.xx), not a server error").isEqualTo(4);
        }
        // a device's answer is read leniently: it never throws
        assertThat(CODEC.readLenient(payload, format == CoapCall.CBOR ? CoapCall.CBOR : CoapCall.JSON)).isNotNull();
    }
}
