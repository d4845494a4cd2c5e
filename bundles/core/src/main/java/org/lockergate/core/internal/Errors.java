package org.lockergate.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.store.StoreException;

/** The refusals of the core, with their stable codes and operator messages in Chinese and English. */
public final class Errors {

    private Errors() {
    }

    public static LockerException of(Kind kind, String code, String zh, String en) {
        return new LockerException(kind, code, zh + " / " + en);
    }

    public static LockerException of(Kind kind, String code, String zh, String en, Map<String, Object> extra) {
        return new LockerException(kind, code, zh + " / " + en, extra);
    }

    public static LockerException unknownGroup(String groupId) {
        return of(Kind.NOT_FOUND, "unknown_group", "未知的柜组 " + groupId, "Unknown cabinet group " + groupId);
    }

    public static LockerException notFound(String what) {
        return of(Kind.NOT_FOUND, "not_found", "未找到 " + what, "Not found: " + what);
    }

    public static LockerException badRequest(String code, String zh, String en) {
        return of(Kind.BAD_REQUEST, code, zh, en);
    }

    public static LockerException unavailable() {
        return of(Kind.UNAVAILABLE, "unavailable", "柜子暂时不可用", "Cabinet temporarily unavailable");
    }

    /** Every cabinet of the group is offline: deposits answer this rather than {@code full}. */
    public static LockerException groupUnavailable() {
        return of(Kind.UNAVAILABLE, "unavailable", "柜组暂时不可用", "Locker group temporarily unavailable");
    }

    public static LockerException busy(String label) {
        return of(Kind.CONFLICT, "busy", "格口 " + label + " 正在使用中", "Compartment " + label + " is in use");
    }

    public static LockerException noSession() {
        return of(Kind.UNAUTHORIZED, "no_session", "请先登录（会话已过期或无效）", "Sign in first (session expired or unknown)");
    }

    public static LockerException badCredentials(int attemptsLeft) {
        return of(Kind.UNAUTHORIZED, "bad_credentials", "工号或密码错误，还可尝试 " + attemptsLeft + " 次",
                "Wrong courier id or PIN, " + attemptsLeft + " attempts left", Map.of("attemptsLeft", attemptsLeft));
    }

    /** 4.29 {@code locked}; {@code isoUntil} as {@link Env#isoMillis} writes it (the time as stored, in milliseconds). */
    public static LockerException locked(String isoUntil) {
        return of(Kind.TOO_MANY, "locked", "尝试次数过多，已锁定至 " + isoUntil,
                "Too many attempts, locked until " + isoUntil, Map.of("lockedUntil", isoUntil, "attemptsLeft", 0));
    }

    public static LockerException wrongCode(int attemptsLeft) {
        return of(Kind.FORBIDDEN, "wrong_code", "取件码错误，还可尝试 " + attemptsLeft + " 次",
                "Wrong pickup code, " + attemptsLeft + " attempts left", Map.of("attemptsLeft", attemptsLeft));
    }

    public static LockerException storageFull() {
        return of(Kind.UNAVAILABLE, "storage_full", "存储空间不足，暂停投递",
                "Storage almost full: deposits paused, pickups continue");
    }

    public static LockerException storeFailed(StoreException e) {
        return of(Kind.UNAVAILABLE, "store_unavailable", "数据存储暂时不可用，请稍后再试",
                "The store is temporarily unavailable, try again later");
    }

    /** An extra-fields map that keeps insertion order and drops nulls. */
    public static Map<String, Object> extra(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
