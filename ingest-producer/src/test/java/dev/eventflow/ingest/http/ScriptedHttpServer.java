package dev.eventflow.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for a provider's HTTP API, in the test's own process: each path answers with the
 * responses queued for it, in order (the last one repeats), and every request is recorded.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** A scripted answer: status, headers, body, and a delay before answering (to provoke timeouts). */
    record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        static Reply ok(String body, Map<String, String> headers) {
            return new Reply(200, headers, body, Duration.ZERO);
        }

        static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, "", Duration.ZERO);
        }
    }

    /** A request as the server saw it. */
    record Seen(String path, Map<String, List<String>> headers, Instant at) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();

    ScriptedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    void script(String pathAndQuery, Reply... replies) {
        script.put(pathAndQuery, new ArrayDeque<>(List.of(replies)));
    }

    List<Seen> requests() {
        return List.copyOf(requests);
    }

    List<Seen> requests(String pathAndQuery) {
        return requests.stream().filter(r -> r.path().equals(pathAndQuery)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Seen(key, Map.copyOf(exchange.getRequestHeaders()), Instant.now()));
        Deque<Reply> replies = script.get(key);
        Reply reply = replies == null ? Reply.status(404, Map.of()) : replies.size() > 1 ? replies.poll() : replies.peek();
        try {
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), reply.status() == 304 || body.length == 0 ? -1 : body.length);
            if (body.length > 0 && reply.status() != 304) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: expected in timeout tests
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
