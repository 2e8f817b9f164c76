package dev.eventflow.sink.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.serde.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The few calls of Kafka Connect's REST API that deploying and supervising connectors needs, with
 * HTTP basic authentication where the worker asks for it (Kafka's {@code BasicAuthSecurityRestExtension},
 * as in the compose deployment).
 */
public final class ConnectClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Optional<String> authorization;
    private final String user;

    /** A client that sends no credentials. */
    public ConnectClient(String baseUrl) {
        this(baseUrl, null, null);
    }

    /**
     * @param user     the REST API's user, or null (or blank) for a worker without authentication
     * @param password its password
     */
    public ConnectClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        boolean authenticates = user != null && !user.isBlank();
        this.user = authenticates ? user : null;
        this.authorization = authenticates ? Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8))) : Optional.empty();
    }

    /**
     * {@code GET /connectors}: whether the REST API answers.
     *
     * @throws IOException when it cannot be reached, or answers with an error; a refusal of the credentials
     *                     is a {@link Refused}
     */
    public void ping() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors")).GET());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
    }

    /** Connect refused the request's credentials (HTTP 401) or their user (403). */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** Creates or updates a connector ({@code PUT /connectors/{name}/config}, idempotent). */
    public void put(String name, JsonNode config) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(config))));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("Connect refused connector " + name + " (HTTP " + response.statusCode() + "): " + response.body());
        }
    }

    /** {@code GET /connectors/{name}/status}; null when the connector does not exist. */
    public JsonNode status(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("Status of " + name + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    /** Restarts one task ({@code POST /connectors/{name}/tasks/{id}/restart}). */
    public void restartTask(String name, int task) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/tasks/" + task + "/restart"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() >= 300) {
            throw new IOException("Restart of " + name + " task " + task + ": HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new Refused("Kafka Connect at " + baseUrl + " refused " + (user == null
                    ? "a request without credentials (HTTP " + response.statusCode() + "): set connect.user and connect.password "
                            + "(EVENTFLOW_CONNECT_PASSWORD)"
                    : "the credentials of user " + user + " (HTTP " + response.statusCode() + "): check connect.user and "
                            + "connect.password (EVENTFLOW_CONNECT_PASSWORD)"));
        }
        return response;
    }
}
