package dev.eventflow.model;

/** State of an {@link IngestRun}. */
public enum IngestRunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED
}
