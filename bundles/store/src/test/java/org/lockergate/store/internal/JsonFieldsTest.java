package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    @Test
    void replacesOnlyTheTopLevelMember() {
        assertThat(JsonFields.nullOut("{\"a\":1,\"code\":\"123\",\"b\":[1,{\"code\":2}]}", "code"))
                .isEqualTo("{\"a\":1,\"code\":null,\"b\":[1,{\"code\":2}]}");
        assertThat(JsonFields.nullOut("{ \"code\" : 12345678 }", "code")).isEqualTo("{ \"code\" : null }");
        assertThat(JsonFields.nullOut("{\"x\":\"a\\\"code\\\":1\",\"code\":\"9\"}", "code"))
                .isEqualTo("{\"x\":\"a\\\"code\\\":1\",\"code\":null}");
        assertThat(JsonFields.nullOut("{\"obj\":{\"code\":\"1\"},\"code\":{\"v\":1}}", "code"))
                .isEqualTo("{\"obj\":{\"code\":\"1\"},\"code\":null}");
    }

    @Test
    void leavesOtherTextAlone() {
        assertThat(JsonFields.nullOut("{\"a\":1}", "code")).isEqualTo("{\"a\":1}");
        assertThat(JsonFields.nullOut("[1,2]", "code")).isEqualTo("[1,2]");
        assertThat(JsonFields.nullOut("not json", "code")).isEqualTo("not json");
        assertThat(JsonFields.nullOut("{\"code\":", "code")).isEqualTo("{\"code\":");
        assertThat(JsonFields.nullOut("{}", "code")).isEqualTo("{}");
        assertThat(JsonFields.nullOut("{\"code\":null}", "code")).isEqualTo("{\"code\":null}");
    }
}
