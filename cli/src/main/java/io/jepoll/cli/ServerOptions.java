package io.jepoll.cli;

import io.jepoll.loop.Call;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import io.jepoll.tls.TlsContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every server command shares, and running a server until it is stopped. */
final class ServerOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 or :: for every interface).")
    String host;

    @Option(names = "--port", description = "TCP port to listen on (this or --unix).")
    Integer port;

    @Option(names = "--unix", paramLabel = "PATH", description = "Listen on the Unix domain socket file PATH"
            + " instead of --host and --port; a stale one (its server gone) is replaced, and it is removed on exit.")
    Path unixSocket;

    @Option(names = "--unix-mode", paramLabel = "MODE", description = "With --unix: the socket file's"
            + " permissions in octal, e.g. 660 (connecting takes write permission) (default: as the umask leaves them).")
    String unixMode;

    @Option(names = "--transport", converter = TransportConverter.class, paramLabel = "et|lt|nio|blocking",
            description = "epoll edge- or level-triggered, java.nio, or a thread per connection"
                    + " (default: et where the native library loads, else nio).")
    Transport transport;

    @Option(names = "--loops", defaultValue = "1", description = "Event loops, the kernel spreading"
            + " connections over them (default: ${DEFAULT-VALUE}).")
    int loops;

    @Option(names = "--reuse-port", description = "SO_REUSEPORT: let other servers that ask for it too"
            + " listen on the port, the kernel spreading connections over all (default: a port in use is an"
            + " error).")
    boolean reusePort;

    @Option(names = "--stats", description = "Print the loops' counters every --stats-interval.")
    boolean stats;

    @Option(names = "--stats-interval", defaultValue = "PT5S", converter = DurationConverter.class,
            description = "How often --stats prints (default: 5s).")
    Duration statsInterval;

    @Option(names = "--max-connections", description = "Open connections at most; past it a new one is"
            + " refused (HTTP: 503 and close; echo: closed at once) (default: no cap but the fd limit).")
    Integer maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "Close a connection on which nothing has moved either way for this long; 0s: never"
                    + " (default: 5m; HTTP's own timeouts are shorter).")
    Duration idleTimeout;

    @Option(names = "--proxy-protocol", description = "Read a PROXY protocol header (v1 or v2) first on every"
            + " connection, as a balancer in front sends it (HAProxy's send-proxy or send-proxy-v2), and serve the"
            + " client it names; a connection without a valid header within 5s is aborted. Only behind such a"
            + " balancer.")
    boolean proxyProtocol;

    @Option(names = "--max-time", converter = DurationConverter.class,
            description = "Stop by itself after this long (e.g. 30s); default: run until interrupted.")
    Duration maxTime;

    @Option(names = "--drain", defaultValue = "0s", converter = DurationConverter.class,
            description = "On SIGTERM or SIGINT, drain for up to this long before stopping: answers under way"
                    + " finish (HTTP's with Connection: close), idle connections close, the rest are aborted at"
                    + " the end (default: 0s, stop at once, flushing queued output for up to 5s).")
    Duration drain;

    @Option(names = "--drain-notice", defaultValue = "0s", converter = DurationConverter.class,
            description = "While draining, go on accepting for this long with GET /health answering 503, so that"
                    + " a load balancer checking it stops sending first (default: 0s; at most --drain).")
    Duration drainNotice;

    @CommandLine.Mixin
    ServerTlsOptions tls;

    /** {@return whether the server speaks TLS} */
    boolean tlsEnabled() {
        return tls.enabled();
    }

    /** Refuses values the server would reject later, naming the option (exit code 2, with the usage). */
    private void validate(CommandLine commandLine) {
        Options.require(commandLine, (port == null) != (unixSocket == null),
                "give --port, or --unix PATH for a Unix socket: one of them");
        Options.require(commandLine, port == null || port >= 0 && port <= 65535, "--port must be 0..65535: " + port);
        Options.require(commandLine, unixMode == null || unixSocket != null, "--unix-mode needs --unix");
        Options.require(commandLine, unixMode == null || unixMode.matches("0?[0-7]{3}"),
                "--unix-mode must be 3 octal digits, e.g. 660: " + unixMode);
        Options.require(commandLine, loops >= 1, "--loops must be >= 1: " + loops);
        Options.require(commandLine, maxConnections == null || maxConnections >= 1,
                "--max-connections must be >= 1: " + maxConnections);
        Options.require(commandLine, !idleTimeout.isNegative(), "--idle-timeout must be 0s or more: " + idleTimeout);
        Options.requirePositive(commandLine, "--max-time", maxTime);
        Options.requirePositive(commandLine, "--stats-interval", statsInterval);
        Options.require(commandLine, !drain.isNegative(), "--drain must be 0s or more: " + drain);
        Options.require(commandLine, !drainNotice.isNegative() && drainNotice.compareTo(drain) <= 0,
                "--drain-notice must be 0s to --drain (" + drain + "): " + drainNotice);
        tls.validate(commandLine);
    }

    /**
     * Starts the server, prints where it listens, and serves until interrupted or --max-time.
     *
     * @param whenFull serves connections past --max-connections; null: they are closed at once
     * @param forProtocol adds what the protocol asks of TLS (HTTP names itself in ALPN) to the options' TLS
     */
    int serve(CommandLine commandLine, String protocol, Supplier<? extends Handler> handlers,
            Supplier<? extends Handler> whenFull, UnaryOperator<TlsContext> forProtocol)
            throws IOException, InterruptedException {
        validate(commandLine);
        PrintWriter out = commandLine.getOut();
        Transport chosen = transport != null ? transport : Transport.best();
        TcpServer.Builder builder = TcpServer.builder().transport(chosen).loops(loops)
                .options(SocketOptions.builder().reusePort(reusePort).build()).idleTimeout(idleTimeout)
                .proxyProtocol(proxyProtocol).handler(handlers);
        if (unixSocket != null) {
            builder.unixSocket(unixSocket);
            if (unixMode != null) {
                builder.unixSocketPermissions(permissions(Integer.parseInt(unixMode, 8)));
            }
        } else {
            builder.host(host).port(port);
        }
        if (maxConnections != null) {
            builder.maxConnections(maxConnections);
            if (whenFull != null) {
                builder.whenFull(whenFull);
            }
        }
        TlsContext context = tls.enabled() ? forProtocol.apply(tls.context()) : null;
        CertificateReloader reloader = null;
        if (context != null) {
            builder.tls(context);
            if (!tls.reloadCheck.isZero()) {
                reloader = new CertificateReloader(context, tls.files());
            }
        }
        TcpServer server = builder.build().start();
        String address = unixSocket != null ? "unix:" + unixSocket
                : server.localAddress().getAddress() instanceof java.net.Inet6Address
                ? "[" + server.localAddress().getHostString() + "]:" + server.port()
                : server.localAddress().getHostString() + ":" + server.port();
        out.printf("jepoll %s listening on %s (%s%stransport %s, %d loop%s)%n", protocol, address,
                proxyProtocol ? "PROXY protocol, " : "", context != null ? "TLS, " : "", chosen.shortName(), loops,
                loops == 1 ? "" : "s");
        out.flush();
        try (CertificateReloader checking = reloader) {
            if (checking != null) {
                checking.checkEvery(tls.reloadCheck);
            }
            runUntilStopped(server, out);
        }
        return 0;
    }

    /** {@code mode}'s permission bits as {@code ls -l} shows them: 0660 is {@code rw-rw----}. */
    static String permissions(int mode) {
        StringBuilder text = new StringBuilder(9);
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & 1 << bit) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
        }
        return text.toString();
    }

    /** Serves until interrupted or --max-time, printing --stats on the way and the totals at the end. */
    private void runUntilStopped(TcpServer server, PrintWriter out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        // Interrupted (SIGINT, SIGTERM): the totals still come out, as they do after --max-time.
        Thread hook = new Thread(() -> {
            String how = stopBySignal(server);
            LoopStats totals = server.stats();
            out.printf("stopped by a signal%s; totals: %s%n", how, totals);
            out.printf("totals-kv: %s%n", keyValues(totals));
            out.flush();
            stopped.countDown();
        }, "jepoll-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LoopStats previous = server.stats();
        long deadline = maxTime == null ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos();
        long interval = stats ? statsInterval.toMillis() : 1000;
        while (!stopped.await(Math.min(interval, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                TimeUnit.MILLISECONDS)) {
            if (stats) {
                LoopStats now = server.stats();
                out.printf("%s%n", now.minus(previous));
                out.flush();
                previous = now;
            }
            if (System.nanoTime() - deadline >= 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
                LoopStats totals = server.stats();
                out.printf("stopped after %s; totals: %s%n", maxTime, totals);
                out.printf("totals-kv: %s%n", keyValues(totals));
                out.flush();
                break;
            }
        }
    }

    /** Drains when --drain asks for it, else closes; says how it went. */
    private String stopBySignal(TcpServer server) {
        if (drain.isZero()) {
            server.close();
            return "";
        }
        try {
            return server.drain(drainNotice, drain) ? ", drained" : ", drained until the deadline, the rest aborted";
        } catch (InterruptedException e) {
            server.close();
            return ", drain interrupted";
        }
    }

    /** The totals again as key=value pairs, every counter always present, for scripts to read. */
    private static String keyValues(LoopStats stats) {
        StringBuilder line = new StringBuilder()
                .append("syscalls=").append(stats.syscalls())
                .append(" crossings=").append(stats.crossings())
                .append(" wake_ups=").append(stats.wakeUps())
                .append(" events=").append(stats.events())
                .append(" bytes_read=").append(stats.bytesRead())
                .append(" bytes_written=").append(stats.bytesWritten())
                .append(" connections_opened=").append(stats.connectionsOpened())
                .append(" connections_closed=").append(stats.connectionsClosed());
        for (Call call : Call.values()) {
            line.append(' ').append(call.name().toLowerCase(Locale.ROOT)).append('=').append(stats.calls(call));
        }
        return line.append(" binding=").append(stats.binding()).toString();
    }
}
