package org.lockergate.kiosk.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

class LockerErrorsTest {

    @Test
    void every_kind_has_its_coap_code() {
        assertThat(LockerErrors.code(Kind.BAD_REQUEST)).isEqualTo(CoapResponseCode.BAD_REQUEST);
        assertThat(LockerErrors.code(Kind.UNAUTHORIZED)).isEqualTo(CoapResponseCode.UNAUTHORIZED);
        assertThat(LockerErrors.code(Kind.FORBIDDEN)).isEqualTo(CoapResponseCode.FORBIDDEN);
        assertThat(LockerErrors.code(Kind.NOT_FOUND)).isEqualTo(CoapResponseCode.NOT_FOUND);
        assertThat(LockerErrors.code(Kind.CONFLICT)).isEqualTo(CoapResponseCode.CONFLICT);
        assertThat(LockerErrors.code(Kind.TOO_MANY)).isEqualTo(CoapResponseCode.TOO_MANY_REQUESTS);
        assertThat(LockerErrors.code(Kind.UNAVAILABLE)).isEqualTo(CoapResponseCode.SERVICE_UNAVAILABLE);
        assertThat(LockerErrors.code(null)).isEqualTo(CoapResponseCode.INTERNAL_SERVER_ERROR);
        assertThat(Kind.values()).allSatisfy(kind -> assertThat(LockerErrors.code(kind).isSuccess()).isFalse());
    }

    @Test
    void instants_anywhere_in_the_extra_fields_become_iso_8601_with_the_zones_offset() {
        Instant t = Instant.parse("2025-03-01T02:05:00.250Z");
        LockerException e = new LockerException(Kind.TOO_MANY, "locked", "锁定 / locked", Map.of(
                "lockedUntil", t,
                "nested", Map.of("at", List.of(t, OffsetDateTime.of(2025, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC))),
                "attemptsLeft", 0,
                "already", "2025-03-01T10:05:00+08:00"));

        CoapException coap = LockerErrors.toCoapException(e, ZoneId.of("Asia/Shanghai"));

        assertThat(coap.code()).isEqualTo(CoapResponseCode.TOO_MANY_REQUESTS);
        assertThat(coap.error()).isEqualTo("locked");
        assertThat(coap.getMessage()).isEqualTo("锁定 / locked");
        assertThat(coap.extra()).containsEntry("lockedUntil", "2025-03-01T10:05:00.250+08:00")
                .containsEntry("attemptsLeft", 0)
                .containsEntry("already", "2025-03-01T10:05:00+08:00")
                .containsEntry("nested", Map.of("at", List.of("2025-03-01T10:05:00.250+08:00",
                        "2025-03-01T08:00:00.000+08:00")));
        assertThat(LockerErrors.timestamp(t, ZoneOffset.UTC)).isEqualTo("2025-03-01T02:05:00.250+00:00");
        assertThat(LockerErrors.timestamp(t, null)).isEqualTo("2025-03-01T10:05:00.250+08:00");
    }

    @Test
    void a_code_pinned_by_the_protocol_overrides_the_kind() {
        LockerException e = new LockerException(Kind.NOT_FOUND, "unknown_group", "未知 / unknown");

        CoapException coap = LockerErrors.toCoapException(e, CoapResponseCode.FORBIDDEN, null);

        assertThat(coap.code()).isEqualTo(CoapResponseCode.FORBIDDEN);
        assertThat(coap.error()).isEqualTo("unknown_group");
    }
}
