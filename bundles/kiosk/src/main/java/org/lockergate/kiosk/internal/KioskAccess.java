package org.lockergate.kiosk.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * Which kiosk may act for which cabinet group (DESIGN §4: "the PSK identity is the cabinet or kiosk id, and a DTLS
 * peer may only act for that id"). A DTLS identity belongs to the group {@link KioskConfig#kioskGroups()} names for
 * it; an identity not configured there belongs, by convention, to {@code G} when it is {@code kiosk-G} or
 * {@code G-kiosk}. Any other identity (a cabinet's, another group's kiosk) may act for no group. Plain CoAP carries
 * no identity: it is allowed unless {@link KioskConfig#requireDtls()}.
 */
final class KioskAccess {

    /** Without configuration: the naming convention only, plain CoAP allowed. */
    static final KioskAccess DEFAULT = new KioskAccess(Map.of(), false);

    private final Map<String, String> groups;
    private final boolean requireDtls;

    KioskAccess(Map<String, String> groups, boolean requireDtls) {
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.requireDtls = requireDtls;
    }

    /**
     * The access rules of a configuration.
     *
     * @throws IllegalArgumentException an entry of {@code kioskGroups} that is not {@code kioskId=groupId}, or a
     *         kiosk id given two different groups (a kiosk belongs to one group)
     */
    static KioskAccess of(KioskConfig config) {
        return new KioskAccess(parse(config.kioskGroups()), config.requireDtls());
    }

    static Map<String, String> parse(String[] entries) {
        Map<String, String> groups = new LinkedHashMap<>();
        if (entries == null) {
            return groups;
        }
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String kiosk = eq < 0 ? "" : entry.substring(0, eq).trim();
            String group = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (kiosk.isEmpty() || group.isEmpty() || group.indexOf('=') >= 0) {
                throw new IllegalArgumentException("kioskGroups: expected kioskId=groupId, got '" + entry + "'");
            }
            String before = groups.putIfAbsent(kiosk, group);
            if (before != null && !before.equals(group)) {
                throw new IllegalArgumentException("kioskGroups: kiosk " + kiosk + " given two groups, " + before
                        + " and " + group);
            }
        }
        return groups;
    }

    /** Whether the identity may act for the group: the configured group first, else the naming convention. */
    boolean mayActFor(String identity, String groupId) {
        if (identity == null || groupId == null) {
            return false;
        }
        String configured = groups.get(identity);
        if (configured != null) {
            return configured.equals(groupId);
        }
        return identity.equals("kiosk-" + groupId) || identity.equals(groupId + "-kiosk");
    }

    boolean requireDtls() {
        return requireDtls;
    }

    /**
     * Lets the call act for the group, or refuses it.
     *
     * @throws CoapException 4.03 {@code dtls_required} (plain CoAP while {@code requireDtls}), 4.03
     *         {@code forbidden} (a DTLS identity that does not belong to the group, with {@code identity} and
     *         {@code groupId})
     */
    void check(CoapCall call, String groupId) {
        if (!call.secure()) {
            if (requireDtls) {
                throw new CoapException(CoapResponseCode.FORBIDDEN, "dtls_required",
                        "柜机 API 只接受 CoAPs (DTLS) / The kiosk API requires CoAPs (DTLS)");
            }
            return;
        }
        String identity = call.peerIdentity().orElse(null);
        if (!mayActFor(identity, groupId)) {
            String shown = identity == null ? "(无身份 / no identity)" : identity;
            CoapException refusal = new CoapException(CoapResponseCode.FORBIDDEN, "forbidden",
                    "终端 " + shown + " 只能操作自己的柜组 (不能操作 " + groupId + ") / Kiosk " + shown
                            + " may only act for its own group (not " + groupId + ")");
            if (identity != null) {
                refusal.with("identity", identity);
            }
            throw refusal.with("groupId", groupId);
        }
    }
}
