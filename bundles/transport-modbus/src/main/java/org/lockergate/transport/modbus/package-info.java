/**
 * A Modbus TCP client for vendor bundles, without a dependency on the protocol library.
 *
 * <p>{@link org.lockergate.transport.modbus.ModbusClient#open} gives a {@link org.lockergate.transport.modbus.ModbusBus}
 * for one endpoint ({@code host:port}, usually a serial-to-TCP server in front of an RS-485 line). Every bus handle of
 * one endpoint shares one TCP connection and one worker: one transaction in flight per endpoint, the others queued
 * with a deadline. Endpoints never wait for each other. Failures complete the returned stages with a
 * {@link org.lockergate.transport.modbus.ModbusException} whose {@link org.lockergate.transport.modbus.ModbusException.Reason}
 * says what went wrong (slave exception 02 bad address, 03 bad value …, timeout, unreachable, queue full, closed).
 */
@Export
@Version("1.0.0")
package org.lockergate.transport.modbus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
