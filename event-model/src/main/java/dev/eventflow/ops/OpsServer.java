package dev.eventflow.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operations endpoints of an eventflow application: {@code /metrics} (Prometheus text format),
 * {@code /health} (200 while the application is alive) and {@code /ready} (200 while it does its work),
 * both with the application's state as the body. The JDK's HTTP server: no dependency.
 */
public final class OpsServer implements AutoCloseable {

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    /** Where the endpoints listen unless told otherwise: this host only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * Serves the endpoints at {@code host}:{@code port}.
     *
     * @param host    the address to listen on: {@value #DEFAULT_HOST} (this host only, the default of every
     *                application) or {@code 0.0.0.0} (every interface, as in a container Prometheus scrapes)
     * @param port    0: a free port
     * @param metrics the Prometheus text of the application's metrics, asked per scrape
     */
    public static OpsServer start(String host, int port, Supplier<String> metrics, BooleanSupplier alive,
                                  BooleanSupplier ready, Supplier<String> state) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/metrics", exchange -> respond(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
            server.createContext("/health", exchange -> respond(exchange, alive.getAsBoolean() ? 200 : 503,
                    "text/plain; charset=utf-8", state.get() + "\n"));
            server.createContext("/ready", exchange -> respond(exchange, ready.getAsBoolean() ? 200 : 503,
                    "text/plain; charset=utf-8", state.get() + "\n"));
            server.start();
            return new OpsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve /metrics, /health and /ready on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
