package org.lockergate.vendor.coap.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lockergate.api.spi.FirmwareUpdater;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapService;

/**
 * Firmware for CoAP cabinets: {@code POST /fw?version=V&sha256=H&model=M} with the image as
 * {@code application/octet-stream} (content-format 42), sent to the address the cabinet registered from. The image
 * goes in Block1 blocks (RFC 7959, Californium's blockwise layer); the cabinet answers once it has the last block and
 * has checked the hash: 2.04 when it reboots into the image, 4.xx with {@code {"error":…}} when it refuses it.
 */
final class CoapFirmwareUpdater implements FirmwareUpdater {

    static final int OCTET_STREAM = 42;

    private final Registrations registrations;
    private final CoapService coap;

    CoapFirmwareUpdater(Registrations registrations, CoapService coap) {
        this.registrations = registrations;
        this.coap = coap;
    }

    @Override
    public CompletableFuture<Verdict> transfer(String cabinetId, String model, String version, String sha256,
            byte[] image, Duration timeout) {
        Registration registration = registrations.ofCabinet(cabinetId).orElse(null);
        if (registration == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("柜子 " + cabinetId
                    + " 未注册 / cabinet " + cabinetId + " is not registered"));
        }
        Registration.Peer peer = registration.peer();
        String path = "/fw?version=" + enc(version) + "&sha256=" + enc(sha256) + "&model=" + enc(model);
        return coap.requestBytes(CoapMethod.POST, peer.address(), peer.secure(), path, image, OCTET_STREAM, timeout)
                .thenApply(reply -> new Verdict(reply.isSuccess(), reply.code().toString(),
                        reply.isSuccess() ? "" : reply.body().path("error").asText("refused"),
                        reply.body().path("message").asText(reply.isSuccess() ? "accepted" : reply.toString())));
    }

    /** CoAP carries query options unescaped (RFC 7252 §6.5): only the separator must not appear in a value. */
    private static String enc(String value) {
        return value.replace("&", "");
    }
}
