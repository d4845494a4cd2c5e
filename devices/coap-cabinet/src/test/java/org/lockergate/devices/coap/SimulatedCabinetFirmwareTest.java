package org.lockergate.devices.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.devices.coap.FakeGateway.eventually;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated cabinet's firmware resource with a real Californium client sending Block1 (RFC 7959). */
class SimulatedCabinetFirmwareTest {

    private FakeGateway gateway;
    private SimulatedCabinet cabinet;
    private CoapEndpoint client;
    private final byte[] image = new byte[30_000];

    @BeforeEach
    void start() throws Exception {
        gateway = FakeGateway.start();
        cabinet = SimulatedCabinet.builder().cabinetId("c1").groupId("g1").vendor("acme").model("M1")
                .firmware("1.0.0").compartment("1", Size.S, 1, 1).gateway(gateway.uri())
                .ackTimeout(Duration.ofMillis(50)).requestTimeout(Duration.ofSeconds(1))
                .retry(Duration.ofMillis(50), Duration.ofMillis(400)).build();
        cabinet.start();
        assertThat(cabinet.awaitRegistered(Duration.ofSeconds(5))).isTrue();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.ACK_TIMEOUT, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        client = CoapEndpoint.builder().setConfiguration(config).build();
        client.start();
        new Random(3).nextBytes(image);
    }

    @AfterEach
    void stop() {
        client.destroy();
        cabinet.stop();
        gateway.close();
    }

    private Response send(String sha256, String model) throws Exception {
        Request request = new Request(Code.POST);
        request.setURI("coap://127.0.0.1:" + cabinet.localAddress().getPort() + "/fw");
        request.getOptions().addUriQuery("version=2.0.0").addUriQuery("sha256=" + sha256)
                .addUriQuery("model=" + model); // CoAP options carry the space as is
        request.setPayload(image);
        request.getOptions().setContentFormat(42);
        client.sendRequest(request);
        Response response = request.waitForResponse(5_000);
        if (response == null) {
            request.cancel();
        }
        return response;
    }

    private String sha() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
    }

    @Test
    void a_verified_image_reboots_the_cabinet_into_the_new_version() throws Exception {
        int before = gateway.registrations.size();
        Response response = send(sha(), "acme M1");
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(eventually(Duration.ofSeconds(5), () -> cabinet.firmware().equals("2.0.0")
                && gateway.registrations.size() > before && cabinet.isRegistered())).isTrue();
        assertThat(gateway.lastRegistration().toString()).contains("2.0.0");
        assertThat(cabinet.firmwareUpdates()).isEqualTo(1);
    }

    @Test
    void a_bad_hash_a_wrong_model_and_the_verification_fault_keep_the_old_version() throws Exception {
        assertThat(send("00".repeat(32), "acme M1").getCode()).isEqualTo(ResponseCode.NOT_ACCEPTABLE);
        assertThat(cabinet.lastFirmwareRefusal()).startsWith("hash_mismatch");
        Response wrongModel = send(sha(), "acme M2");
        assertThat(wrongModel.getCode()).isEqualTo(ResponseCode.NOT_ACCEPTABLE);
        assertThat(wrongModel.getPayloadString()).contains("wrong_model");
        cabinet.failFirmwareVerification(true);
        assertThat(send(sha(), "acme M1").getCode()).isEqualTo(ResponseCode.NOT_ACCEPTABLE);
        assertThat(cabinet.firmware()).isEqualTo("1.0.0");
        assertThat(cabinet.firmwareUpdates()).isZero();
    }

    @Test
    void a_reboot_mid_transfer_leaves_the_old_version_and_a_new_boot() throws Exception {
        int boot = cabinet.boot();
        cabinet.rebootDuringFirmwareTransfer(5);
        assertThat(send(sha(), "acme M1")).as("the transfer breaks off").isNull();
        assertThat(eventually(Duration.ofSeconds(5), () -> cabinet.boot() == boot + 1 && cabinet.isRegistered()))
                .isTrue();
        assertThat(cabinet.firmware()).isEqualTo("1.0.0");
    }
}
