package org.lockergate.upstream.mqtt;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves one or more cloud commands. Register it as an OSGi service with the property {@value #COMMAND}; the
 * upstream bundle picks it up (and drops it) at run time:
 *
 * <pre>
 * &#64;Component(property = CommandHandler.COMMAND + "=parcel.resend-code")
 * public class ResendCodeCommand implements CommandHandler {
 *     public CommandResult handle(CloudCommand command) throws Exception {
 *         String parcelId = command.requiredString("parcelId");   // 400 bad_args when missing
 *         ...
 *         return CommandResult.ok(Map.of("parcelId", parcelId));
 *     }
 * }
 * </pre>
 *
 * <p>Only commands whose signature, expiry and request id were verified reach a handler, each once. The handler runs
 * on the upstream bundle's small command pool, never on the MQTT client's thread, so it may block briefly (an
 * unlock round trip); keep it under a few seconds. Two handlers for the same name: the one registered first (lowest
 * {@code service.id}) serves, the later one is refused with an ERROR log line and takes over when the first goes.
 *
 * <p>Errors: throw {@link CommandException} for a chosen status, or
 * {@code org.lockergate.api.locker.LockerException} (its kind maps to 400, 403, 404 or 409; UNAVAILABLE to 500);
 * anything else is answered 500 {@code internal_error} with a generic message and logged.
 */
@ConsumerType
public interface CommandHandler {

    /** Service property (String or String[]): the command name(s) served, e.g. {@code compartment.disable}. */
    String COMMAND = "lockergate.command";

    /**
     * Executes one verified command.
     *
     * @return the status (normally 200) and body of the reply
     * @throws Exception see the class comment for how it is answered
     */
    CommandResult handle(CloudCommand command) throws Exception;
}
