package org.lockergate.api.send;

/** What an order sends: a new parcel (寄件) or a parcel the resident returns to its courier company (退件). */
public enum SendKind {
    SEND, RETURN
}
