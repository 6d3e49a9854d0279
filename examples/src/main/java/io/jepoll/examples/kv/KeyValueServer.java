package io.jepoll.examples.kv;

import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A key-value store served over a line-based TCP protocol (see {@link KeyValueHandler}).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.jepoll.examples.kv.KeyValueServer 7000 [et|lt|nio|blocking]
 * printf 'SET greeting hello world\nGET greeting\nQUIT\n' | nc 127.0.0.1 7000
 * </pre>
 */
public final class KeyValueServer {

    public static final int DEFAULT_MAX_LINE_BYTES = 1024;
    public static final Duration DEFAULT_LINE_TIMEOUT = Duration.ofSeconds(10);

    private KeyValueServer() {
    }

    /** Starts an empty store on {@code port} of 127.0.0.1 (0: any free port) with the default limits. */
    public static TcpServer start(int port, Transport transport) throws IOException {
        return start(port, transport, DEFAULT_MAX_LINE_BYTES, DEFAULT_LINE_TIMEOUT);
    }

    /**
     * @param maxLineBytes the longest command line, without its line end
     * @param lineTimeout how long a line may take from its first byte to its end
     * @throws IOException when the port cannot be bound
     * @throws IllegalStateException when {@code transport} cannot run here
     */
    public static TcpServer start(int port, Transport transport, int maxLineBytes, Duration lineTimeout)
            throws IOException {
        ConcurrentMap<String, String> store = new ConcurrentHashMap<>();
        return TcpServer.builder()
                .port(port)
                .transport(transport)
                .handler(() -> new KeyValueHandler(store, maxLineBytes, lineTimeout))
                .build()
                .start();
    }

    /** {@code KeyValueServer <port> [et|lt|nio|blocking|best]}; serves until the JVM is stopped. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: KeyValueServer <port> [et|lt|nio|blocking|best]");
            System.exit(2);
        }
        int port;
        Transport transport;
        try {
            port = Integer.parseInt(args[0]);
            transport = args.length < 2 || args[1].equals("best") ? Transport.best() : Transport.parse(args[1]);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: KeyValueServer <port> [et|lt|nio|blocking|best]: " + e.getMessage());
            System.exit(2);
            return;
        }
        TcpServer server;
        try {
            server = start(port, transport);
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot start the key-value server: " + e.getMessage());
            System.exit(1);
            return;
        }
        // The loop threads keep the JVM alive; Ctrl-C or SIGTERM closes the server gracefully.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kv-shutdown"));
        System.out.println("key-value server listening on " + server.localAddress().getHostString() + ":"
                + server.port() + " (transport " + transport.shortName() + ")");
    }
}
