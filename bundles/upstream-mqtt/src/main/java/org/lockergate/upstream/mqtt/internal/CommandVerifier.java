package org.lockergate.upstream.mqtt.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a command envelope {@code {"alg","kid","payload","sig"}} (DESIGN.md §4 MQTT): the signature over exactly
 * the decoded payload bytes (Ed25519 with a cloud public key from configuration, or HMAC-SHA-256 with the
 * per-gateway secret file), then the payload: {@code requestId}, {@code issuedAt}, {@code expiresAt}, {@code args},
 * and when present {@code command} (must equal the topic's name) and {@code gatewayId} (must be this gateway).
 */
final class CommandVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(CommandVerifier.class);
    static final String ED25519 = "Ed25519";
    static final String HS256 = "HS256";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** X.509 SubjectPublicKeyInfo prefix of a raw 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    /** A refused command: status, stable error, message; the requestId when it could be read (for the reply). */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final String requestId;
        final String alg;
        final String kid;

        Refusal(int status, String error, String message, String requestId, String alg, String kid) {
            super(message);
            this.status = status;
            this.error = error;
            this.requestId = requestId;
            this.alg = alg;
            this.kid = kid;
        }
    }

    private final Map<String, PublicKey> cloudKeys;
    private final Path hmacKeyFile;
    private final String hmacKeyId;
    private final String gatewayId;
    private final Supplier<Instant> now;
    private final Duration maxLifetime;
    private final Duration skew;
    private final ReplayGuard replays;

    CommandVerifier(Map<String, PublicKey> cloudKeys, Path hmacKeyFile, String hmacKeyId, String gatewayId,
            Supplier<Instant> now, Duration maxLifetime, Duration skew, ReplayGuard replays) {
        this.cloudKeys = Map.copyOf(cloudKeys);
        this.hmacKeyFile = hmacKeyFile;
        this.hmacKeyId = hmacKeyId;
        this.gatewayId = gatewayId;
        this.now = now;
        this.maxLifetime = maxLifetime;
        this.skew = skew;
        this.replays = replays;
    }

    /**
     * Parses {@code kid=<base64>} entries: the key is the raw 32 bytes or the X.509 (SubjectPublicKeyInfo) DER.
     * A bad entry is logged and skipped.
     */
    static Map<String, PublicKey> parseKeys(List<String> entries) {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String kid = eq > 0 ? entry.substring(0, eq).strip() : "cloud";
            String b64 = (eq > 0 ? entry.substring(eq + 1) : entry).strip();
            try {
                out.put(kid, ed25519(Base64.getDecoder().decode(b64)));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                LOG.error("云端公钥 {} 无效，已忽略 / Cloud public key {} is not a valid Ed25519 key and is ignored: {}", kid,
                        kid, e.getMessage());
            }
        }
        return out;
    }

    static PublicKey ed25519(byte[] encoded) throws GeneralSecurityException {
        byte[] der = encoded;
        if (encoded.length == 32) {
            der = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
            System.arraycopy(encoded, 0, der, ED25519_X509_PREFIX.length, 32);
        }
        return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(der));
    }

    CloudCommand verify(String name, byte[] envelope, boolean retained) throws Refusal {
        JsonNode env;
        try {
            env = Payloads.JSON.readTree(envelope);
        } catch (IOException e) {
            throw refuse(400, "malformed", "命令不是 JSON / The command envelope is not JSON", null, null, null);
        }
        if (env == null || !env.isObject()) {
            throw refuse(400, "malformed", "命令信封不是 JSON 对象 / The command envelope is not a JSON object", null, null,
                    null);
        }
        String alg = text(env, "alg");
        String kid = text(env, "kid");
        String payloadB64 = text(env, "payload");
        String sigB64 = text(env, "sig");
        if (payloadB64 == null) {
            throw refuse(400, "malformed", "命令缺少 payload / The envelope has no payload", null, alg, kid);
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(payloadB64);
        } catch (IllegalArgumentException e) {
            throw refuse(400, "malformed", "payload 不是 Base64 / The payload is not base64", null, alg, kid);
        }
        JsonNode body;
        try {
            body = Payloads.JSON.readTree(payload);
        } catch (IOException e) {
            body = null;
        }
        // Unverified, only to address the refusal; sanitised so it cannot steer the reply topic.
        String claimedId = body != null && body.isObject() ? requestId(body) : null;
        if (!NAME.matcher(name).matches()) {
            throw refuse(400, "malformed", "命令名无效 / Invalid command name", claimedId, alg, kid);
        }
        if (retained) {
            throw refuse(400, "retained_command", "保留消息不能作为命令 / A retained message is not accepted as a command",
                    claimedId, alg, kid);
        }
        if (alg == null || alg.isBlank() || "none".equalsIgnoreCase(alg) || sigB64 == null || sigB64.isBlank()) {
            throw refuse(403, "unsigned", "命令未签名 / The command is not signed", claimedId, alg, kid);
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(sigB64);
        } catch (IllegalArgumentException e) {
            throw refuse(403, "bad_signature", "签名不是 Base64 / The signature is not base64", claimedId, alg, kid);
        }
        String usedKid = switch (alg) {
            case ED25519 -> verifyEd25519(payload, sig, kid, claimedId);
            case HS256 -> verifyHmac(payload, sig, kid, claimedId);
            default -> throw refuse(403, "unsupported_alg", "不支持的签名算法 / Unsupported signature algorithm " + alg,
                    claimedId, alg, kid);
        };
        // The payload is authentic from here on.
        if (body == null || !body.isObject()) {
            throw refuse(400, "malformed", "payload 不是 JSON 对象 / The payload is not a JSON object", null, alg,
                    usedKid);
        }
        String requestId = requestId(body);
        if (requestId == null) {
            throw refuse(400, "bad_request_id", "requestId 缺失或无效 / Missing or invalid requestId", null, alg,
                    usedKid);
        }
        Instant issuedAt = instant(body, "issuedAt", requestId, alg, usedKid);
        Instant expiresAt = instant(body, "expiresAt", requestId, alg, usedKid);
        String command = text(body, "command");
        if (command != null && !command.equals(name)) {
            throw refuse(400, "command_mismatch", "签名的命令与主题不符 / The signed command " + command
                    + " does not match the topic's " + name, requestId, alg, usedKid);
        }
        String gw = text(body, "gatewayId");
        if (gw != null && !gw.equals(gatewayId)) {
            throw refuse(403, "wrong_gateway", "命令发给了另一台网关 / The command is for another gateway", requestId,
                    alg, usedKid);
        }
        JsonNode argsNode = body.get("args");
        if (argsNode != null && !argsNode.isNull() && !argsNode.isObject()) {
            throw refuse(400, "malformed", "args 必须是对象 / args must be an object", requestId, alg, usedKid);
        }
        Instant at = now.get();
        if (!expiresAt.isAfter(at)) {
            throw refuse(403, "expired", "命令已过期 / The command expired at " + expiresAt, requestId, alg, usedKid);
        }
        if (issuedAt.isAfter(at.plus(skew))) {
            throw refuse(403, "not_yet_valid", "命令签发时间在未来 / The command is issued in the future (" + issuedAt
                    + ")", requestId, alg, usedKid);
        }
        if (expiresAt.isBefore(issuedAt) || Duration.between(issuedAt, expiresAt).compareTo(maxLifetime) > 0) {
            throw refuse(400, "bad_lifetime", "命令有效期过长或无效 / The command's lifetime is invalid or longer than "
                    + maxLifetime, requestId, alg, usedKid);
        }
        switch (replays.remember(requestId, expiresAt, at)) {
            case REPLAY -> throw refuse(409, "replayed", "命令已执行过 / The requestId was already used", requestId,
                    alg, usedKid);
            case FULL -> throw refuse(409, "busy", "待过期命令太多，请稍后 / Too many unexpired commands; retry later",
                    requestId, alg, usedKid);
            default -> {
                // new
            }
        }
        Map<String, Object> args = argsNode == null || argsNode.isNull() ? Map.of()
                : Payloads.JSON.convertValue(argsNode, new TypeReference<Map<String, Object>>() {
                });
        return new CloudCommand(name, requestId, issuedAt, expiresAt, usedKid, alg, args);
    }

    private String verifyEd25519(byte[] payload, byte[] sig, String kid, String claimedId) throws Refusal {
        PublicKey key = kid != null ? cloudKeys.get(kid) : cloudKeys.size() == 1 ? cloudKeys.values().iterator().next()
                : null;
        if (key == null) {
            throw refuse(403, "unknown_key", "未知的签名密钥 / Unknown signing key " + kid, claimedId, ED25519, kid);
        }
        try {
            Signature verifier = Signature.getInstance(ED25519);
            verifier.initVerify(key);
            verifier.update(payload);
            if (!verifier.verify(sig)) {
                throw refuse(403, "bad_signature", "签名无效 / Bad signature", claimedId, ED25519, kid);
            }
        } catch (GeneralSecurityException e) {
            throw refuse(403, "bad_signature", "签名无效 / Bad signature", claimedId, ED25519, kid);
        }
        return kid != null ? kid : cloudKeys.keySet().iterator().next();
    }

    private String verifyHmac(byte[] payload, byte[] sig, String kid, String claimedId) throws Refusal {
        if (kid != null && !kid.equals(hmacKeyId)) {
            throw refuse(403, "unknown_key", "未知的签名密钥 / Unknown signing key " + kid, claimedId, HS256, kid);
        }
        Optional<byte[]> key;
        try {
            key = Secrets.read(hmacKeyFile).map(CommandVerifier::decodeSecret);
        } catch (IOException e) {
            LOG.error("无法读取命令 HMAC 密钥 / Cannot read the command HMAC key {}: {}", hmacKeyFile, e.getMessage());
            key = Optional.empty();
        }
        if (key.isEmpty() || key.get().length == 0) {
            throw refuse(403, "unknown_key", "网关没有 HS256 密钥 / The gateway has no HS256 key", claimedId, HS256, kid);
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
            expected = mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw refuse(500, "internal_error", "HMAC 不可用 / HMAC unavailable", claimedId, HS256, kid);
        } finally {
            Arrays.fill(key.get(), (byte) 0);
        }
        if (!MessageDigest.isEqual(expected, sig)) {
            throw refuse(403, "bad_signature", "签名无效 / Bad signature", claimedId, HS256, kid);
        }
        return hmacKeyId;
    }

    /** The secret file holds the key as base64 text (one line); anything else is taken as raw bytes. */
    static byte[] decodeSecret(byte[] file) {
        String text = new String(file, java.nio.charset.StandardCharsets.US_ASCII).strip();
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            if (decoded.length >= 16) {
                Arrays.fill(file, (byte) 0);
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // raw
        }
        return file;
    }

    private Instant instant(JsonNode body, String field, String requestId, String alg, String kid) throws Refusal {
        String text = text(body, field);
        if (text == null) {
            throw refuse(400, "malformed", "缺少 " + field + " / Missing " + field, requestId, alg, kid);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                throw refuse(400, "malformed", field + " 不是 ISO-8601 时间 / " + field + " is not an ISO-8601 time",
                        requestId, alg, kid);
            }
        }
    }

    private static String requestId(JsonNode body) {
        String id = text(body, "requestId");
        return id != null && REQUEST_ID.matcher(id).matches() ? id : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Refusal refuse(int status, String error, String message, String requestId, String alg, String kid) {
        return new Refusal(status, error, message, requestId, alg, kid);
    }
}
