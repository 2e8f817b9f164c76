package dev.eventflow.sink.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.serde.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls of Kafka Connect's REST API that deploying and supervising connectors needs. */
public final class ConnectClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ConnectClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
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
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
