package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CloudParcelService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.upstream.mqtt.CommandException;
import org.osgi.service.metatype.AttributeDefinition;

/** pickup.authorize, parcel.resend-code, payment.confirmed and config.set: arguments, statuses and refusals. */
class ParcelAndConfigCommandsTest {

    @TempDir
    Path tmp;

    private final Fakes.Clock clock = new Fakes.Clock();
    private final List<String> calls = new ArrayList<>();
    private KeyPair cloud;
    private MemStore store;
    private Upstream upstream;

    /** Records the calls; parcel "p-gone" is picked up already, "p-offline" sits in an offline cabinet. */
    private final CloudParcelService core = new CloudParcelService() {
        @Override
        public PickupResult openForApp(String parcelId, String actor) throws LockerException {
            calls.add("open " + parcelId + " " + actor);
            check(parcelId);
            return new PickupResult(parcelId, "c1", "12", "opened", 0, false);
        }

        @Override
        public Parcel resendCode(String parcelId, String actor) throws LockerException {
            calls.add("resend " + parcelId + " " + actor);
            check(parcelId);
            return parcel(parcelId, 0, false);
        }

        @Override
        public Parcel confirmPayment(String parcelId, long feeFen, String paymentRef, String actor)
                throws LockerException {
            calls.add("paid " + parcelId + " " + feeFen + " " + paymentRef + " " + actor);
            check(parcelId);
            return parcel(parcelId, feeFen, false);
        }

        private void check(String parcelId) throws LockerException {
            if (parcelId.equals("p-gone")) {
                throw new LockerException(LockerException.Kind.CONFLICT, "not_pickable", "状态 / state",
                        Map.of("state", "PICKED_UP"));
            }
            if (parcelId.equals("p-offline")) {
                throw new LockerException(LockerException.Kind.UNAVAILABLE, "unavailable", "离线 / offline");
            }
            if (!parcelId.startsWith("p-")) {
                throw new LockerException(LockerException.Kind.NOT_FOUND, "not_found", "未找到 / not found");
            }
        }
    };

    private static Parcel parcel(String id, long fee, boolean owed) {
        return new Parcel(id, "g1", "c1", "12", null, "WB1", "JT", "JT-0001", "138******34", ParcelState.DEPOSITED,
                null, Fakes.T0, Fakes.T0, null, fee, owed);
    }

    @BeforeEach
    void setUp() throws Exception {
        cloud = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        store = new MemStore();
        HandlerRegistry handlers = new HandlerRegistry();
        handlers.add(new String[] {"pickup.authorize", "parcel.resend-code", "payment.confirmed"},
                new ParcelCommands(core), 7, "test");
        UpstreamSettings s = Gateways.settings("tcp://127.0.0.1:1", tmp).with(b -> b.cloudPublicKeys = List.of(
                "cloud-1=" + Base64.getEncoder().encodeToString(cloud.getPublic().getEncoded()))).build();
        upstream = Gateways.upstream(s, store, store.probe(), clock, new Fakes.Alarms(), new Fakes.Queries(),
                handlers);
    }

    private int run(String name, String requestId, String args, long lifetimeSeconds) throws Exception {
        String payload = "{\"requestId\":\"" + requestId + "\",\"command\":\"" + name + "\",\"gatewayId\":\""
                + Gateways.GW + "\",\"issuedAt\":\"" + clock.now() + "\",\"expiresAt\":\""
                + clock.now().plusSeconds(lifetimeSeconds) + "\",\"args\":" + args + "}";
        return upstream.commands().handle(name, CommandTest.ed25519(cloud.getPrivate(), payload, "cloud-1"), false);
    }

    @Test
    void pickup_authorize_opens_through_the_core_as_the_cloud_request() throws Exception {
        assertThat(run("pickup.authorize", "r-1", "{\"parcelId\":\"p-1\"}", 60)).isEqualTo(200);
        assertThat(calls).containsExactly("open p-1 cloud:r-1");
        assertThat(store.audit).anySatisfy(a -> assertThat(a.detail()).contains("requestId=r-1", "status=200"));
    }

    @Test
    void pickup_authorize_is_refused_when_it_lives_longer_than_the_token_ttl_or_the_core_says_no() throws Exception {
        assertThat(run("pickup.authorize", "r-long", "{\"parcelId\":\"p-1\"}", 61)).as("lifetime > 60 s")
                .isEqualTo(400);
        assertThat(run("pickup.authorize", "r-noarg", "{}", 30)).as("no parcelId").isEqualTo(400);
        assertThat(run("pickup.authorize", "r-404", "{\"parcelId\":\"x-1\"}", 30)).isEqualTo(404);
        assertThat(run("pickup.authorize", "r-409", "{\"parcelId\":\"p-gone\"}", 30)).isEqualTo(409);
        assertThat(run("pickup.authorize", "r-500", "{\"parcelId\":\"p-offline\"}", 30)).isEqualTo(500);
        assertThat(calls).containsExactly("open x-1 cloud:r-404", "open p-gone cloud:r-409",
                "open p-offline cloud:r-500");
        // replaying the accepted one is refused before it reaches the core
        assertThat(run("pickup.authorize", "r-409", "{\"parcelId\":\"p-1\"}", 30)).isEqualTo(409);
        assertThat(calls).hasSize(3);
    }

    @Test
    void parcel_resend_code_and_payment_confirmed_reach_the_core_with_their_arguments() throws Exception {
        assertThat(run("parcel.resend-code", "r-2", "{\"parcelId\":\"p-2\"}", 300)).isEqualTo(200);
        assertThat(run("payment.confirmed", "r-3", "{\"parcelId\":\"p-2\",\"feeFen\":150,\"paymentRef\":\"WX-1\"}",
                300)).isEqualTo(200);
        assertThat(calls).containsExactly("resend p-2 cloud:r-2", "paid p-2 150 WX-1 cloud:r-3");
    }

    @Test
    void payment_confirmed_needs_an_integer_amount_and_a_reference() throws Exception {
        assertThat(run("payment.confirmed", "r-a", "{\"parcelId\":\"p-2\",\"feeFen\":1.5,\"paymentRef\":\"W\"}", 60))
                .as("fractional fen").isEqualTo(400);
        assertThat(run("payment.confirmed", "r-b", "{\"parcelId\":\"p-2\",\"feeFen\":\"150\",\"paymentRef\":\"W\"}",
                60)).as("string amount").isEqualTo(400);
        assertThat(run("payment.confirmed", "r-c", "{\"parcelId\":\"p-2\",\"feeFen\":150}", 60)).as("no reference")
                .isEqualTo(400);
        assertThat(run("payment.confirmed", "r-d", "{\"parcelId\":\"p-gone\",\"feeFen\":150,\"paymentRef\":\"W\"}",
                60)).isEqualTo(409);
        assertThat(calls).containsExactly("paid p-gone 150 W cloud:r-d");
    }

    // --- config.set ---

    private static final Map<String, AttributeDefinition> CORE = Map.of(
            "paymentRequiredFirst", new Ad("paymentRequiredFirst", AttributeDefinition.BOOLEAN, 0, null, null),
            "sessionIdleMinutes", new Ad("sessionIdleMinutes", AttributeDefinition.INTEGER, 0, 1L, 120L),
            "zone", new Ad("zone", AttributeDefinition.STRING, 0, null, null),
            "tags", new Ad("tags", AttributeDefinition.STRING, 5, null, null),
            "apiKeyFile", new Ad("apiKeyFile", AttributeDefinition.STRING, 0, null, null),
            "hmacKey", new Ad("hmacKey", AttributeDefinition.STRING, 0, null, null),
            "adminPassword", new Ad("adminPassword", AttributeDefinition.PASSWORD, 0, null, null));

    @Test
    void config_change_converts_to_the_metatype_types_and_keeps_other_properties() throws Exception {
        Hashtable<String, Object> current = new Hashtable<>(Map.of("zone", "Asia/Shanghai", "sessionIdleMinutes", 10));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("paymentRequiredFirst", true);
        changes.put("sessionIdleMinutes", 15);
        changes.put("tags", List.of("a", "b"));
        changes.put("zone", null);
        changes.put("apiKeyFile", "/data/secrets/api-key");

        ConfigChange.Result r = ConfigChange.apply("org.lockergate.core", CORE, current, changes);

        assertThat(r.properties()).containsEntry("paymentRequiredFirst", true).containsEntry("sessionIdleMinutes", 15)
                .doesNotContainKey("zone");
        assertThat((String[]) r.properties().get("tags")).containsExactly("a", "b");
        assertThat(r.changed()).containsKeys("paymentRequiredFirst", "sessionIdleMinutes", "tags", "zone");
        assertThat(current).containsEntry("zone", "Asia/Shanghai");
    }

    @Test
    void config_change_refuses_unknown_keys_wrong_types_out_of_range_values_and_secrets() {
        assertThat(refusal(Map.of("noSuchKey", 1)).error()).isEqualTo("unknown_property");
        assertThat(refusal(Map.of("sessionIdleMinutes", "15")).error()).isEqualTo("invalid_value");
        assertThat(refusal(Map.of("sessionIdleMinutes", 15.5)).error()).isEqualTo("invalid_value");
        assertThat(refusal(Map.of("sessionIdleMinutes", 500)).error()).isEqualTo("invalid_value");
        assertThat(refusal(Map.of("paymentRequiredFirst", "yes")).error()).isEqualTo("invalid_value");
        assertThat(refusal(Map.of("tags", List.of("1", "2", "3", "4", "5", "6"))).error()).isEqualTo("invalid_value");
        assertThat(refusal(Map.of("zone", List.of("a"))).error()).isEqualTo("invalid_value");
        CommandException secret = refusal(Map.of("hmacKey", "abc"));
        assertThat(secret.status()).isEqualTo(403);
        assertThat(secret.error()).isEqualTo("secret_property");
        assertThat(refusal(Map.of("adminPassword", "x")).error()).as("PASSWORD type").isEqualTo("secret_property");
        assertThat(refusal(Map.of("zone", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0")).error()).as("key-like value")
                .isEqualTo("secret_property");
        assertThat(refusal(Map.of()).error()).isEqualTo("bad_args");
    }

    private static CommandException refusal(Map<String, Object> changes) {
        return catchThrowableOfType(() -> ConfigChange.apply("org.lockergate.core", CORE, new Hashtable<>(), changes),
                CommandException.class);
    }

    /** A metatype attribute with an optional integer range, validated as Felix does (empty string = valid). */
    private record Ad(String id, int type, int cardinality, Long min, Long max) implements AttributeDefinition {
        @Override
        public String getName() {
            return id;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return null;
        }

        @Override
        public int getCardinality() {
            return cardinality;
        }

        @Override
        public int getType() {
            return type;
        }

        @Override
        public String[] getOptionValues() {
            return null;
        }

        @Override
        public String[] getOptionLabels() {
            return null;
        }

        @Override
        public String validate(String value) {
            if (min == null) {
                return null;
            }
            long v = Long.parseLong(value);
            return v < min || v > max ? "value not in " + min + ".." + max : "";
        }

        @Override
        public String[] getDefaultValue() {
            return null;
        }
    }
}
