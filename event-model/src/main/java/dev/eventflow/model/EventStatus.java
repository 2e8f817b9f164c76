package dev.eventflow.model;

/** Lifecycle status of an {@link Event}. */
public enum EventStatus {
    SCHEDULED,
    LIVE,
    FINISHED,
    POSTPONED,
    CANCELLED
}
