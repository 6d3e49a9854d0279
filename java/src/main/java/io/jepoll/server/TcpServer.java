package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.proxy.ProxyProtocol;
import io.jepoll.tls.TlsContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A TCP server: N loops of one transport, each with a listening socket on the port (see
 * {@link EventLoopGroup#listen} for how they share it and refuse other servers, and for
 * {@link SocketOptions#reusePort()}), each connection served by a fresh {@link Handler}. Build with {@link #builder()}, then
 * {@link #start()}. With {@link Builder#unixSocket} it serves a Unix domain socket file instead.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.builder().port(9000).handler(EchoHandler::new).build().start();
 * ...
 * server.close();
 * }</pre>
 */
public final class TcpServer implements AutoCloseable {

    /** The default {@link Builder#idleTimeout}: generous, for protocols whose peers stay quiet a while. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final String host;
    private final int requestedPort;
    private final Transport transport;
    private final int loopCount;
    private final SocketOptions options;
    private final LoopConfig loopConfig;
    private final Supplier<? extends Handler> handlers;
    private final Duration shutdownGrace;
    private final TlsContext tls;
    private final Drain drain = new Drain();
    private final ProxyProtocol proxyProtocol;
    private final Path unixSocket;
    private final Set<PosixFilePermission> unixSocketPermissions;
    private EventLoopGroup loops;
    private InetSocketAddress localAddress;
    private SocketAddress boundAddress;

    private TcpServer(Builder builder) {
        this.unixSocket = builder.unixSocket;
        this.unixSocketPermissions = builder.unixSocketPermissions;
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.transport = builder.transportOrBest();
        this.loopCount = builder.loops;
        this.options = builder.options;
        this.loopConfig = builder.loopConfig;
        this.tls = builder.tls;
        this.proxyProtocol = builder.proxyProtocol ? new ProxyProtocol(builder.proxyHeaderTimeout) : null;
        Supplier<? extends Handler> served = proxied(encrypted(FailureReport.reporting(builder.handlers, builder.onError)));
        // Aborting needs no handshake first; a refusal the protocol speaks (HTTP's 503) does, after the PROXY header.
        Supplier<? extends Handler> refusal = builder.whenFull == ConnectionCap.ABORT ? ConnectionCap.ABORT
                : proxied(encrypted(FailureReport.reporting(builder.whenFull, builder.onError)));
        Supplier<? extends Handler> capped = builder.maxConnections == Integer.MAX_VALUE ? served
                : new ConnectionCap(builder.maxConnections).guard(served, refusal);
        this.handlers = drain.tracking(
                builder.idleTimeout.isZero() ? capped : IdleTimeout.closing(capped, builder.idleTimeout));
        this.shutdownGrace = builder.shutdownGrace;
    }

    /**
     * {@code handlers}' handlers behind TLS when the server has it. A handler's exceptions are
     * reported inside TLS, so that those thrown from the TLS layer's own tasks are reported too.
     */
    private Supplier<? extends Handler> encrypted(Supplier<? extends Handler> handlers) {
        return tls == null ? handlers : () -> tls.wrap(handlers.get(), null, 0);
    }

    /**
     * {@code handlers}' handlers behind a PROXY protocol header when the server reads one: outside
     * TLS and the protocol, which see bytes only after the header, and inside the connection cap
     * and the idle timeout, which count and watch the socket from its accept, so that connections
     * still owing their header count against the cap (and may be evicted, as awaiting a request).
     */
    private Supplier<? extends Handler> proxied(Supplier<? extends Handler> handlers) {
        return proxyProtocol == null ? handlers : () -> proxyProtocol.wrap(handlers.get());
    }

    /** {@return a builder with every option at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the loops and binds the listener; returns once the server accepts connections.
     *
     * @return this server, started
     * @throws java.net.BindException when the port is taken (by anything, another jepoll server
     *     included, unless both ask for {@link SocketOptions#reusePort()}) or the address is not
     *     local; the message names the address and errno. On a Unix socket: when a server
     *     listens on the path, or a file that is not a socket is there (see
     *     {@link EventLoopGroup#listen(UnixDomainSocketAddress, Set, SocketOptions, Supplier)})
     * @throws IllegalArgumentException when the Unix socket's path is too long for a socket address
     * @throws IOException when another set-up call fails (the message names the call and errno),
     *     or a TLS key or certificate file cannot be used (the message names the file and why)
     * @throws IllegalStateException when it was started before, or the transport cannot run here
     *     (the message says why)
     */
    public synchronized TcpServer start() throws IOException {
        if (loops != null) {
            throw new IllegalStateException("already started");
        }
        if (tls != null) {
            tls.load();
        }
        loops = EventLoopGroup.start(transport, loopCount, loopConfig, "jepoll-" + transport.shortName());
        try {
            if (unixSocket != null) {
                boundAddress = loops.listen(UnixDomainSocketAddress.of(unixSocket), unixSocketPermissions, options,
                        handlers);
            } else {
                localAddress = loops.listen(new InetSocketAddress(host, requestedPort), options, handlers);
                boundAddress = localAddress;
            }
        } catch (IOException | RuntimeException e) {
            loops.shutdown(Duration.ZERO);
            throw e;
        }
        return this;
    }

    /** {@return the bound address, with the kernel's port when port 0 was asked for; null before start, and on a Unix socket} */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * {@return where the server listens: {@link #localAddress()}, or the {@link UnixDomainSocketAddress} of
     * {@link Builder#unixSocket}; null before start}
     */
    public SocketAddress boundAddress() {
        return boundAddress;
    }

    /**
     * {@return the bound port, the kernel's when port 0 was asked for}
     *
     * @throws IllegalStateException on a Unix socket, which has no port, or before start
     */
    public int port() {
        if (localAddress == null) {
            throw new IllegalStateException(unixSocket != null ? "listens on the Unix socket " + unixSocket + ", not a port"
                    : "not started");
        }
        return localAddress.getPort();
    }

    /** {@return the transport the server runs on} */
    public Transport transport() {
        return transport;
    }

    /** {@return the server's TLS, whose {@link TlsContext#load()} picks up renewed certificates; null without TLS} */
    public TlsContext tls() {
        return tls;
    }

    /**
     * {@return the server's PROXY protocol reading, with its counts of accepted and refused
     * headers; null when it reads none}
     */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /** {@return the server's loops, also usable for outbound connections and tasks; null before start} */
    public EventLoopGroup loops() {
        return loops;
    }

    /** {@return the loops' counters summed} */
    public LoopStats stats() {
        return loops.stats();
    }

    /**
     * Stops accepting, lets queued output flush for up to {@code grace}, closes everything
     * still open after it, and waits (at most 5 s more) for the loops to end.
     *
     * @param grace how long queued output may take to flush
     * @return whether every loop ended
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        return loops == null || loops.shutdownAndWait(grace);
    }

    /**
     * Stops taking work without failing any: for a restart behind a load balancer, or a deploy.
     * At once {@link #isDraining()} turns true (the HTTP server's {@code GET /health} answers 503,
     * so that a balancer that checks it stops sending new connections) and every connection is
     * told ({@link Handler#onDrain}: HTTP answers the requests under way, with
     * {@code Connection: close}, and closes connections idle between requests; echo closes
     * gracefully). Connections keep being accepted for {@code notice}, and are told as they open,
     * so that a balancer has time to see the health check fail; then the listeners take what is
     * queued and close. Returns once every connection has closed, or at {@code deadline} from
     * now, when the rest are aborted; the loops then stop.
     *
     * @param notice how long to go on accepting (0: stop at once); at most {@code deadline}
     * @param deadline how long the whole drain may take
     * @return whether every connection closed by itself before the deadline
     * @throws InterruptedException when the waiting thread is interrupted; the drain goes on,
     *     and {@link #close()} ends it
     * @throws IllegalArgumentException when {@code notice} is negative or longer than {@code deadline}
     */
    public boolean drain(Duration notice, Duration deadline) throws InterruptedException {
        if (notice.isNegative() || notice.compareTo(deadline) > 0) {
            throw new IllegalArgumentException("the notice must be 0 to the deadline: " + notice + ", " + deadline);
        }
        if (loops == null) {
            return true;
        }
        long end = System.nanoTime() + deadline.toNanos();
        drain.begin(deadline.toNanos());
        if (!notice.isZero()) {
            TimeUnit.NANOSECONDS.sleep(notice.toNanos());
        }
        loops.stopAccepting().join();
        boolean allClosed = drain.awaitNoneOpen(end - System.nanoTime());
        loops.shutdownAndWait(Duration.ZERO);
        return allClosed;
    }

    /** {@return whether {@link #drain} has begun and told every connection open at its start} */
    public boolean isDraining() {
        return drain.everyoneTold();
    }

    /** {@link #shutdown} with the builder's grace period (default 5 s); an interrupt ends the wait. */
    @Override
    public void close() {
        try {
            shutdown(shutdownGrace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link TcpServer}; every option has a default but the handler. */
    public static final class Builder extends LoopsBuilder<Builder> {
        private String host = "127.0.0.1";
        private int port;
        private Supplier<? extends Handler> handlers;
        private int maxConnections = Integer.MAX_VALUE;
        private Supplier<? extends Handler> whenFull = ConnectionCap.ABORT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private TlsContext tls;
        private boolean proxyProtocol;
        private Duration proxyHeaderTimeout = ProxyProtocol.DEFAULT_HEADER_TIMEOUT;
        private Path unixSocket;
        private Set<PosixFilePermission> unixSocketPermissions;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The address to bind.
         *
         * @param host a name or address (default 127.0.0.1; "0.0.0.0" or "::" for every interface)
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port to bind.
         *
         * @param port 0 to 65535 (default 0: the kernel picks one; see {@link TcpServer#port()})
         * @return this builder
         * @throws IllegalArgumentException when the port is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Listens on a Unix domain socket file instead of {@link #host} and {@link #port}, on
         * every transport. A stale socket file at the path (its server died) is replaced; a
         * socket a server listens on, or a file that is not a socket, makes {@link #start()}
         * fail and stays. The server removes the file when it closes. Its connections'
         * {@link Connection#localAddress()} is this path, their remote address usually unnamed
         * (an empty path); TCP's socket options do not apply.
         *
         * @param path the socket file, at most 107 bytes long (a socket address's limit); a
         *     relative path is taken from the working directory
         * @return this builder
         */
        public Builder unixSocket(Path path) {
            this.unixSocket = Objects.requireNonNull(path, "unixSocket");
            return this;
        }

        /**
         * The Unix socket file's permissions (default: as the umask leaves them). Nobody else
         * can connect before the file has them: see
         * {@link EventLoopGroup#listen(UnixDomainSocketAddress, Set, SocketOptions, Supplier)}.
         *
         * @param permissions as {@code ls -l} shows them, e.g. {@code "rw-rw----"} (connecting
         *     takes write permission)
         * @return this builder
         * @throws IllegalArgumentException when {@code permissions} is not 9 characters of {@code rwx-}
         */
        public Builder unixSocketPermissions(String permissions) {
            this.unixSocketPermissions = PosixFilePermissions.fromString(permissions);
            return this;
        }

        /**
         * What serves each connection (required).
         *
         * @param handlers makes one handler per connection
         * @return this builder
         */
        public Builder handler(Supplier<? extends Handler> handlers) {
            this.handlers = Objects.requireNonNull(handlers, "handler");
            return this;
        }

        /**
         * At most this many connections open at once, over all loops (default: no cap but the
         * fd limit). At the cap a new connection makes room by closing the oldest connection
         * that loses nothing by it: one whose protocol reports it
         * {@link io.jepoll.net.Activity#AWAITING_REQUEST} (aborted) or
         * {@link io.jepoll.net.Activity#IDLE} (closed gracefully); see
         * {@link Connection#activity(io.jepoll.net.Activity)}. A protocol that never reports
         * its activity leaves every connection awaiting a request, so any of them may be closed.
         * When all are {@link io.jepoll.net.Activity#BUSY}, the new connection gets the
         * {@link #whenFull} handler instead.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code max} is less than 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Serves a connection accepted past {@link #maxConnections}, e.g. with a refusal the
         * protocol defines. The default aborts it at once, so that a flood holds no fds.
         *
         * @param handlers makes one handler per connection past the cap
         * @return this builder
         */
        public Builder whenFull(Supplier<? extends Handler> handlers) {
            this.whenFull = Objects.requireNonNull(handlers, "whenFull");
            return this;
        }

        /**
         * Closes a connection on which no byte has moved either way for this long (default
         * {@link TcpServer#DEFAULT_IDLE_TIMEOUT}; {@link Duration#ZERO}: never). Protocol timeouts (HTTP's
         * header, body and keep-alive ones) are shorter and come first.
         *
         * @param timeout at least zero
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is negative
         */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "idleTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must be >= 0 (0: never): " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Serves every connection over TLS: the handler sees plain bytes, and runs once the
         * handshake is done (see {@link io.jepoll.tls.TlsHandler}). {@link TcpServer#start()}
         * reads the key files.
         *
         * @param tls a server's context, from {@link TlsContext#server()}
         * @return this builder
         * @throws IllegalArgumentException when {@code tls} is a client's
         */
        public Builder tls(TlsContext tls) {
            if (tls.isClient()) {
                throw new IllegalArgumentException("a server needs a server's TlsContext: TlsContext.server()");
            }
            this.tls = tls;
            return this;
        }

        /**
         * Reads a PROXY protocol header (version 1 or 2) at the start of every connection, as a
         * balancer in front of the server sends it (HAProxy's {@code send-proxy} or
         * {@code send-proxy-v2}), before TLS and the handler see a byte; the handler's
         * {@link Connection#clientAddress()} is then the client's address the header gave. A
         * connection without a valid header within {@link #proxyHeaderTimeout} is aborted; see
         * {@link ProxyProtocol}. Turn it on only behind such a balancer: a client reaching the port
         * directly is refused, and one that could would choose its own address.
         *
         * @param enabled whether to read the header (default false)
         * @return this builder
         */
        public Builder proxyProtocol(boolean enabled) {
            this.proxyProtocol = enabled;
            return this;
        }

        /**
         * How long a connection has, from its accept, to send its whole PROXY protocol header
         * (default {@link ProxyProtocol#DEFAULT_HEADER_TIMEOUT}, 5 s); see {@link #proxyProtocol}.
         *
         * @param timeout more than zero
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is not positive
         */
        public Builder proxyHeaderTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "proxyHeaderTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("proxyHeaderTimeout must be positive: " + timeout);
            }
            this.proxyHeaderTimeout = timeout;
            return this;
        }

        /**
         * {@return the server, not started yet}
         *
         * @throws IllegalStateException when no handler was given
         */
        public TcpServer build() {
            if (handlers == null) {
                throw new IllegalStateException("handler is required: builder().handler(MyHandler::new)");
            }
            return new TcpServer(this);
        }
    }
}
