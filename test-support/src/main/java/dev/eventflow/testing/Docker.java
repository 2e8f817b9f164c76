package dev.eventflow.testing;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine is reachable, for Testcontainers variants that must skip without one. */
public final class Docker {

    private Docker() {
    }

    public static boolean isAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The reason given when a Testcontainers test is skipped. */
    public static String unavailableReason() {
        return "No Docker engine is reachable (Testcontainers found none); this Testcontainers variant is skipped. "
                + "The embedded variant of the same tests runs without Docker.";
    }
}
