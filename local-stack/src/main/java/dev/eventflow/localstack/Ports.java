package dev.eventflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on the loopback address the local stack binds to. */
public final class Ports {

    /** The only address the embedded services listen on. */
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** A port that is free now (the operating system picks it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    /**
     * Resolves a configured port: 0 means any free port; any other value must be free now.
     *
     * @param service what the port is for, named in the error
     * @param key     the configuration key that sets it, named in the error
     * @throws PortInUseException when the requested port is taken
     */
    public static int resolve(int requested, String service, String key) {
        if (requested < 0 || requested > 65_535) {
            throw new IllegalArgumentException(key + " must be between 0 and 65535, was " + requested);
        }
        if (requested == 0) {
            return freePort();
        }
        if (!isFree(requested)) {
            throw new PortInUseException(requested, service, key);
        }
        return requested;
    }

    /** Whether nothing listens on {@code port} of {@link #HOST} and it can be bound. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections on {@code port} of {@link #HOST}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
