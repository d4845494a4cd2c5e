package org.lockergate.transport.coap;

/** The request methods a {@link CoapHandler} can declare in {@value CoapHandler#METHODS}. */
public enum CoapMethod {
    GET,
    POST,
    PUT,
    DELETE
}
