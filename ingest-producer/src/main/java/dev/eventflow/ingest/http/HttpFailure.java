package dev.eventflow.ingest.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/** A request the provider answered with an error, or did not answer. {@link #retryable()} says whether trying again can help. */
public final class HttpFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    private final transient Duration retryAfter;
    private final transient HttpHeaders headers;

    HttpFailure(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
        this(message, status, retryable, retryAfter, cause, null);
    }

    HttpFailure(String message, int status, boolean retryable, Duration retryAfter, Throwable cause, HttpHeaders headers) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.headers = headers;
    }

    /** The error response's headers, when there was a response. */
    public Optional<HttpHeaders> headers() {
        return Optional.ofNullable(headers);
    }

    /** The HTTP status, or 0 when there was no response (timeout, connection refused). */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The wait a 429 or 503 response asked for. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
