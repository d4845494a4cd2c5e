package org.lockergate.api.model;

/** Sending from the locker (R20), reserved in the API from the start: {@code ORDERED → DROPPED → COLLECTED}. */
public enum SendOrderState {
    ORDERED, DROPPED, COLLECTED, CANCELLED
}
