package org.lockergate.transport.modbus;

import java.io.IOException;

/**
 * Why a Modbus request failed. The message names the endpoint, the unit and the request, in Chinese and English.
 */
public class ModbusException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Exception code 01. */
    public static final int ILLEGAL_FUNCTION = 1;
    /** Exception code 02: the address (coil, input, register) does not exist on the device. */
    public static final int ILLEGAL_ADDRESS = 2;
    /** Exception code 03: the device refused the value (e.g. a pulse length outside 50–5000 ms). */
    public static final int ILLEGAL_VALUE = 3;
    /** Exception code 04. */
    public static final int DEVICE_FAILURE = 4;

    /** What went wrong. */
    public enum Reason {
        /** The device answered with a Modbus exception; see {@link #exceptionCode()}. */
        EXCEPTION,
        /** No answer within the timeout (also: waited too long in the queue). */
        TIMEOUT,
        /** No connection (connect failed, backing off) or the unit is isolated after repeated timeouts. */
        UNREACHABLE,
        /** Too many requests waiting on the endpoint. */
        QUEUE_FULL,
        /** The handle or the service was closed before the request ran. */
        CLOSED,
        /** The connection broke during the request, or the answer was malformed. */
        IO
    }

    private final Reason reason;
    private final int exceptionCode;

    public ModbusException(Reason reason, int exceptionCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.exceptionCode = exceptionCode;
    }

    public ModbusException(Reason reason, String message) {
        this(reason, 0, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The Modbus exception code (1–255) when {@link #reason()} is {@link Reason#EXCEPTION}, else 0. */
    public int exceptionCode() {
        return exceptionCode;
    }

    /** Exception 02: bad address. */
    public boolean isIllegalAddress() {
        return reason == Reason.EXCEPTION && exceptionCode == ILLEGAL_ADDRESS;
    }

    /** Exception 03: bad value. */
    public boolean isIllegalValue() {
        return reason == Reason.EXCEPTION && exceptionCode == ILLEGAL_VALUE;
    }

    /** Whether the device may simply not have answered (timeout, unreachable, broken connection). */
    public boolean isNoAnswer() {
        return reason == Reason.TIMEOUT || reason == Reason.UNREACHABLE || reason == Reason.IO;
    }

    /** A short text for an exception code, Chinese and English. */
    public static String describe(int code) {
        return switch (code) {
            case ILLEGAL_FUNCTION -> "01 不支持的功能码 / illegal function";
            case ILLEGAL_ADDRESS -> "02 地址无效 / bad address";
            case ILLEGAL_VALUE -> "03 数值无效 / bad value";
            case DEVICE_FAILURE -> "04 设备故障 / device failure";
            case 5 -> "05 已受理，处理中 / acknowledge";
            case 6 -> "06 设备忙 / device busy";
            case 10 -> "0A 网关路径不可用 / gateway path unavailable";
            case 11 -> "0B 网关后的设备未应答 / gateway target failed to respond";
            default -> String.format("%02X 未知异常 / exception %d", code, code);
        };
    }
}
