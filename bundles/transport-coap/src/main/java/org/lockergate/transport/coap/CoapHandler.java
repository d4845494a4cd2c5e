package org.lockergate.transport.coap;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers CoAP requests for one or more path templates. Register it as an OSGi service; the transport picks it up
 * (and drops it) at run time:
 *
 * <pre>
 * &#64;Component(property = {
 *     CoapHandler.PATH + "=/groups/{groupId}/state",
 *     CoapHandler.METHODS + "=GET",
 *     CoapHandler.OBSERVABLE + ":Boolean=true"})
 * public class GroupStateHandler implements CoapHandler { ... }
 * </pre>
 *
 * <p>Routing: a template is a path of literal segments and {@code {variable}} segments. A request goes to the
 * template whose segments match, a literal beating a variable at the first segment where two templates differ.
 * Two templates with the same shape ({@code /rd/{regId}} and {@code /rd/{id}}) are the same route: the handler
 * registered later (higher {@code service.id}) is refused with an ERROR log line, and takes over if the first one
 * goes away. A request for a path no handler serves gets 4.04 {@code not_found}; a method the handler does not
 * declare gets 4.05 {@code method_not_allowed}; both with the JSON error body.
 *
 * <p>Threads: {@link #handle} runs on the transport's bounded handler pool, never on a protocol thread, so it may
 * block (a deposit waits for an fsync and an unlock round trip). It must answer through {@link CoapCall#respond} or
 * {@link CoapCall#respondError} before it returns. A {@link CoapException} becomes its error response; any other
 * exception becomes 5.00 {@code internal_error} with a generic message and one ERROR log line.
 */
@ConsumerType
public interface CoapHandler {

    /**
     * Service property (String or String[]): the path template(s) served, for example {@code /rd},
     * {@code /rd/{regId}} or {@code /cabinets/{cabinetId}/events}. Required.
     */
    String PATH = "lockergate.coap.path";

    /**
     * Service property (String or String[]): the methods served, {@code GET}, {@code POST}, {@code PUT},
     * {@code DELETE}. Required.
     */
    String METHODS = "lockergate.coap.methods";

    /**
     * Service property (Boolean, or the String {@code "true"}): clients may observe the resources (RFC 7641) with a
     * GET. {@link CoapService#changed(String)} then calls the handler again, with the original GET, to produce each
     * notification. Needs {@code GET} in {@link #METHODS}.
     */
    String OBSERVABLE = "lockergate.coap.observable";

    /**
     * Answers one request (or produces one observe notification, {@link CoapCall#notification()}).
     *
     * @throws CoapException to answer with its error
     * @throws Exception anything else: answered 5.00 {@code internal_error}, logged
     */
    void handle(CoapCall call) throws Exception;
}
