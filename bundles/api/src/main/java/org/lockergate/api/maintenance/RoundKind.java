package org.lockergate.api.maintenance;

/** What a scheduled round is for. */
public enum RoundKind {
    INSPECTION, CLEANING
}
