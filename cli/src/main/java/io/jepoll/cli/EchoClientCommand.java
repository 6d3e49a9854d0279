package io.jepoll.cli;

import io.jepoll.echo.EchoClient;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpClient;
import io.jepoll.tls.TlsContext;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jepoll echo-client}: send a message and print the echo, or check a load byte by byte. */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
        description = {"Send --message to an echo server and print the reply, or with --connections and --bytes,"
                + " send that many pseudo-random bytes on each connection, check every echoed byte and report"
                + " throughput.", "Exits 0 when every byte came back exactly, 1 otherwise."})
final class EchoClientCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", description = "Server port (this or --unix).")
    private Integer port;

    @Option(names = "--unix", paramLabel = "PATH", description = "Connect to the Unix domain socket file PATH"
            + " instead of --host and --port.")
    private Path unixSocket;

    @Option(names = "--message", description = "Text to send (default: Hello unless --bytes is given).")
    private String message;

    @Option(names = "--connections", defaultValue = "1", description = "Connections for a load (default: 1).")
    private int connections;

    @Option(names = "--bytes", description = "Bytes each load connection sends and checks.")
    private Long bytes;

    @Option(names = "--transport", converter = TransportConverter.class, paramLabel = "et|lt|nio|blocking",
            description = "The client's own transport (default: et where available, else nio).")
    private Transport transport;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Give up after this long (default: 30s).")
    private Duration timeout;

    @Option(names = "--tls", description = "Speak TLS, trusting the JDK's default authorities unless told otherwise.")
    private boolean tls;

    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "With --tls: trust the certificates (authorities) in FILE, PEM or a keystore, instead.")
    private Path trust;

    @Option(names = "--insecure", description = "With --tls: trust any certificate for any name; for tests against"
            + " one's own machine only, as nothing then tells the server from an impostor.")
    private boolean insecure;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "With --tls: the name sent in SNI and checked in the certificate (default: --host).")
    private String serverName;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "With --tls: show this PEM certificate chain to a server that asks for one (with --tls-key).")
    private Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    private Path privateKey;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        Options.require(commandLine, (port == null) != (unixSocket == null),
                "give --port, or --unix PATH for a Unix socket: one of them");
        Options.require(commandLine, port == null || port >= 1 && port <= 65535, "--port must be 1..65535: " + port);
        Options.require(commandLine, bytes == null || bytes >= 1, "--bytes must be >= 1: " + bytes);
        Options.require(commandLine, connections >= 1, "--connections must be >= 1: " + connections);
        Options.require(commandLine, bytes == null || message == null,
                "--message and --bytes exclude each other: one message, or a load of --bytes per connection");
        Options.require(commandLine, bytes != null || connections == 1,
                "--connections needs --bytes: without it one message goes over one connection");
        Options.requirePositive(commandLine, "--timeout", timeout);
        Options.require(commandLine, tls || trust == null && !insecure && serverName == null && certificate == null,
                "--tls-trust, --insecure, --tls-server-name and --tls-cert need --tls");
        Options.require(commandLine, (certificate == null) == (privateKey == null),
                "--tls-cert and --tls-key go together: the certificate chain and its private key");
        Options.require(commandLine, trust == null || !insecure,
                "--tls-trust and --insecure exclude each other: trust FILE's certificates, or any");
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Transport chosen = transport != null ? transport : Transport.best();
        SocketAddress server = unixSocket != null ? UnixDomainSocketAddress.of(unixSocket)
                : new InetSocketAddress(host, port);
        TcpClient.Builder builder = TcpClient.builder().transport(chosen).shutdownGrace(Duration.ofSeconds(1));
        if (tls) {
            builder.tls(tlsContext());
        }
        try (TcpClient client = builder.build().start()) {
            return bytes == null ? sendMessage(client, server, out, err) : runLoad(client, server, out, err);
        }
    }

    private TlsContext tlsContext() {
        TlsContext.Builder context = TlsContext.client();
        if (trust != null) {
            context.trust(trust);
        } else if (insecure) {
            context.trustAll();
        }
        if (serverName != null) {
            context.serverName(serverName);
        }
        if (certificate != null) {
            context.certificate(certificate, privateKey);
        }
        return context.build();
    }

    private int sendMessage(TcpClient client, SocketAddress server, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        byte[] sent = (message != null ? message : "Hello").getBytes(StandardCharsets.UTF_8);
        try {
            byte[] reply = EchoClient.send(client, server, sent).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            out.println(new String(reply, StandardCharsets.UTF_8));
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            err.println("echo-client: " + describe(e, client, server, 1));
            return 1;
        }
    }

    private int runLoad(TcpClient client, SocketAddress server, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            EchoClient.load(client, server, connections, bytes).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            err.println("echo-client: " + describe(e, client, server, connections));
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double mebibytes = (double) connections * bytes / (1024 * 1024);
        out.printf("%d connection%s x %d bytes echoed exactly in %.3f s: %.1f MiB/s each way%n", connections,
                connections == 1 ? "" : "s", bytes, seconds, mebibytes / seconds);
        return 0;
    }

    /**
     * Why the exchange failed. A timeout with fewer connections open than asked for is a connect
     * that never completed (a peer that drops SYNs, a full accept queue), not a slow echo.
     */
    private String describe(Exception e, TcpClient client, SocketAddress server, int wanted) {
        if (e instanceof TimeoutException) {
            long made = client.stats().connectionsOpened();
            if (made < wanted) {
                return "connect to " + hostAndPort(server) + " timed out after " + DurationConverter.format(timeout)
                        + (wanted == 1 ? "" : " (" + made + " of " + wanted + " connections made)");
            }
            return "no complete echo within " + DurationConverter.format(timeout);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (!(cause instanceof SSLHandshakeException)) {
            return message;
        }
        return "TLS handshake with " + hostAndPort(server) + " failed: " + message
                + (hasCause(cause, CertPathBuilderException.class) ? " (--tls-trust FILE trusts its authority)" : "");
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String hostAndPort(SocketAddress server) {
        if (!(server instanceof InetSocketAddress address)) {
            return "unix:" + ((UnixDomainSocketAddress) server).getPath();
        }
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
