package dev.eventflow.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the operations endpoints listen: this host only unless an application is told otherwise. */
class OpsServerTest {

    @Test
    void listensOnTheLoopbackOnlyByDefault() throws Exception {
        Optional<InetAddress> external = externalAddress();
        assumeTrue(external.isPresent(), "this machine has no address but the loopback's");
        try (OpsServer ops = OpsServer.start(OpsServer.DEFAULT_HOST, 0, () -> "up 1\n", () -> true, () -> true, () -> "OK")) {
            assertThat(get("127.0.0.1", ops.port(), "/metrics")).isEqualTo("up 1\n");
            assertThatThrownBy(() -> connect(external.get(), ops.port())).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void listensOnEveryInterfaceWhenToldTo() throws Exception {
        Optional<InetAddress> external = externalAddress();
        assumeTrue(external.isPresent(), "this machine has no address but the loopback's");
        try (OpsServer ops = OpsServer.start("0.0.0.0", 0, () -> "up 1\n", () -> true, () -> false, () -> "STARTING")) {
            assertThat(get(external.get().getHostAddress(), ops.port(), "/metrics")).isEqualTo("up 1\n");
            assertThat(get("127.0.0.1", ops.port(), "/health")).isEqualTo("STARTING\n");
        }
    }

    @Test
    void namesTheAddressItCannotListenOn() throws Exception {
        try (OpsServer taken = OpsServer.start(OpsServer.DEFAULT_HOST, 0, () -> "", () -> true, () -> true, () -> "OK")) {
            assertThatThrownBy(() -> OpsServer.start(OpsServer.DEFAULT_HOST, taken.port(), () -> "", () -> true, () -> true, () -> "OK"))
                    .hasMessageStartingWith("Cannot serve /metrics, /health and /ready on 127.0.0.1:" + taken.port() + ": ");
        }
    }

    private static String get(String host, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    private static Optional<InetAddress> externalAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
