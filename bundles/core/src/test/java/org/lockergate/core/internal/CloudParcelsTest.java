package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/** The cloud's parcel commands in the core: app pickup, resend code, payment confirmed. */
class CloudParcelsTest {

    @TempDir
    Path dir;
    Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void an_app_pickup_opens_the_parcels_door_and_completes_when_it_closes() throws Exception {
        h = new Harness(dir);
        String parcelId = h.deposited(SizeClass.S, "13800001234");

        PickupResult result = h.core.cloudParcels.openForApp(parcelId, "cloud:req-1");

        assertThat(result.parcelId()).isEqualTo(parcelId);
        assertThat(result.unlock()).isEqualTo("opened");
        assertThat(h.compartment(result.compartment()).state()).isEqualTo(CompartmentState.OPENING);
        assertThat(h.core.queries.audit(Harness.START, 1000)).anyMatch(e -> e.action().equals("parcel.pickup_opening")
                && e.actor().equals("cloud:req-1"));
        h.close(result.compartment(), false);
        assertThat(h.parcel(parcelId).state()).isEqualTo(ParcelState.PICKED_UP);
        assertThat(h.outbox("parcel.picked_up")).hasSize(1);
    }

    @Test
    void an_app_pickup_is_refused_for_unknown_or_finished_parcels_and_while_the_cabinet_is_offline() throws Exception {
        h = new Harness(dir);
        LockerException unknown = catchThrowableOfType(() -> h.core.cloudParcels.openForApp("nope", "cloud:r"),
                LockerException.class);
        assertThat(unknown.code()).isEqualTo("not_found");

        String parcelId = h.deposited(SizeClass.S, "13800001234");
        h.core.cloudParcels.openForApp(parcelId, "cloud:r1");
        h.close(h.parcel(parcelId).compartment(), false);
        LockerException done = catchThrowableOfType(() -> h.core.cloudParcels.openForApp(parcelId, "cloud:r2"),
                LockerException.class);
        assertThat(done.code()).isEqualTo("not_pickable");
        assertThat(done.extra()).containsEntry("state", "PICKED_UP");

        String other = h.deposited(SizeClass.S, "13800005678");
        h.link.detach("test");
        LockerException offline = catchThrowableOfType(() -> h.core.cloudParcels.openForApp(other, "cloud:r3"),
                LockerException.class);
        assertThat(offline.code()).isEqualTo("unavailable");
    }

    @Test
    void resend_code_voids_the_old_code_and_notifies_the_new_one() throws Exception {
        h = new Harness(dir);
        String parcelId = h.deposited(SizeClass.S, "13800001234");
        String oldCode = h.codeOf(parcelId);

        h.core.cloudParcels.resendCode(parcelId, "cloud:req-2");

        String newCode = h.codeOf(parcelId);
        assertThat(h.notified).hasSize(2);
        assertThat(newCode).matches("[0-9]{8}").isNotEqualTo(oldCode);
        assertThat(h.notified.get(1).phone()).isEqualTo("13800001234");
        assertThat(h.outbox("notification.requested")).hasSize(2);
        Map<String, Object> row = h.data(h.outbox("notification.requested").get(1));
        assertThat(row).containsEntry("code", newCode).containsEntry("resend", true);
        assertThat(h.core.queries.audit(Harness.START, 1000)).anyMatch(e -> e.action().equals("parcel.code_resent"))
                .noneMatch(e -> String.valueOf(e.detail()).contains(newCode));

        LockerException wrong = catchThrowableOfType(() -> h.core.kiosk.pickup("g1", oldCode, null, null),
                LockerException.class);
        assertThat(wrong.code()).isEqualTo("wrong_code");
        assertThat(h.core.kiosk.pickup("g1", newCode, null, null).parcelId()).isEqualTo(parcelId);
    }

    @Test
    void resend_code_is_refused_for_a_parcel_not_in_the_locker() throws Exception {
        h = new Harness(dir);
        LockerException unknown = catchThrowableOfType(() -> h.core.cloudParcels.resendCode("nope", "cloud:r"),
                LockerException.class);
        assertThat(unknown.code()).isEqualTo("not_found");
        String reserved = h.deposit(SizeClass.S, "13800001234").parcelId();
        LockerException notYet = catchThrowableOfType(() -> h.core.cloudParcels.resendCode(reserved, "cloud:r"),
                LockerException.class);
        assertThat(notYet.code()).isEqualTo("not_pickable");
        assertThat(h.notified).isEmpty();
    }

    @Test
    void a_payment_confirmed_before_pickup_lets_a_payment_first_pickup_open() throws Exception {
        h = new Harness(dir, Settings.defaults().withParcelScan(Duration.ZERO).withPaymentRequiredFirst(true));
        String parcelId = h.deposited(SizeClass.S, "13800001234");
        String code = h.codeOf(parcelId);
        h.clock.advance(Duration.ofHours(30)); // 24 h free, then one started 12 h period: 50 fen

        LockerException required = catchThrowableOfType(() -> h.core.kiosk.pickup("g1", code, null, null),
                LockerException.class);
        assertThat(required.code()).isEqualTo("payment_required");
        assertThat(required.extra()).containsEntry("feeFen", 50L);
        LockerException tooMuch = catchThrowableOfType(() -> h.core.cloudParcels.confirmPayment(parcelId, 0, "P-0",
                "cloud:r0"), LockerException.class);
        assertThat(tooMuch.code()).isEqualTo("bad_amount");

        h.core.cloudParcels.confirmPayment(parcelId, 50, "PAY-1", "cloud:r1");

        assertThat(h.data(h.outbox("fee.paid").get(0))).containsEntry("feeFen", 50).containsEntry("settled", false)
                .containsEntry("paymentRef", "PAY-1");
        PickupResult pickup = h.core.kiosk.pickup("g1", code, null, null);
        assertThat(pickup.feeFen()).isEqualTo(50);
        assertThat(pickup.feeOwed()).isFalse();
        h.close(pickup.compartment(), false);
        assertThat(h.outbox("fee.charged")).hasSize(1);
        LockerException nothing = catchThrowableOfType(() -> h.core.cloudParcels.confirmPayment(parcelId, 50, "PAY-2",
                "cloud:r2"), LockerException.class);
        assertThat(nothing.code()).isEqualTo("nothing_owed");
    }

    @Test
    void a_payment_confirmed_after_an_owed_pickup_settles_it() throws Exception {
        h = new Harness(dir);
        String parcelId = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(Duration.ofHours(30));
        PickupResult pickup = h.core.kiosk.pickup("g1", h.codeOf(parcelId), null, null);
        assertThat(pickup.feeOwed()).isTrue();
        h.close(pickup.compartment(), false);
        assertThat(h.parcel(parcelId).feeOwed()).isTrue();

        LockerException tooLittle = catchThrowableOfType(() -> h.core.cloudParcels.confirmPayment(parcelId, 20,
                "PAY-1", "cloud:r1"), LockerException.class);
        assertThat(tooLittle.code()).isEqualTo("bad_amount");
        assertThat(h.parcel(parcelId).feeOwed()).isTrue();

        h.core.cloudParcels.confirmPayment(parcelId, 50, "PAY-1", "cloud:r2");

        assertThat(h.parcel(parcelId).feeOwed()).isFalse();
        assertThat(h.parcel(parcelId).feeFen()).isEqualTo(50);
        assertThat(h.data(h.outbox("fee.paid").get(0))).containsEntry("settled", true);
        assertThat(h.core.queries.audit(Harness.START, 1000)).anyMatch(e -> e.action().equals("fee.paid")
                && e.actor().equals("cloud:r2"));
    }
}
