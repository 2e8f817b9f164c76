package dev.eventflow.localstack;

import java.util.Locale;

/** A port the configuration asks for is already taken by another process. */
public final class PortInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int port;

    public PortInUseException(int port, String service, String key) {
        super(String.format(Locale.ROOT,
                "Port %d requested for %s is already in use on %s. Stop what listens there, choose another port "
                        + "(%s, environment variable EVENTFLOW_%s; 0 picks a free one), or point eventflow at an "
                        + "existing service instead.",
                port, service, Ports.HOST, key, dev.eventflow.config.Config.envName(key)));
        this.port = port;
    }

    public int port() {
        return port;
    }
}
