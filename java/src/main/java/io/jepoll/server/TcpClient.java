package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.tls.TlsContext;
import io.jepoll.tls.TlsHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Outbound TCP connections on loops of their own: N loops of one transport, connections spread
 * over them in turn, each served by the {@link Handler} given to {@link #connect}, under the same
 * rules as a server's. Build with {@link #builder()}, then {@link #start()}.
 *
 * <pre>{@code
 * try (TcpClient client = TcpClient.builder().build().start()) {
 *     Connection connection = client.connect(new InetSocketAddress("127.0.0.1", 9000), handler).join();
 *     ...
 * }
 * }</pre>
 */
public final class TcpClient implements AutoCloseable {

    private final Transport transport;
    private final int loopCount;
    private final SocketOptions options;
    private final LoopConfig loopConfig;
    private final Duration shutdownGrace;
    private final BiConsumer<? super Connection, ? super Throwable> onError;
    private final TlsContext tls;
    private EventLoopGroup loops;

    private TcpClient(Builder builder) {
        this.transport = builder.transportOrBest();
        this.loopCount = builder.loops;
        this.options = builder.options;
        this.loopConfig = builder.loopConfig;
        this.shutdownGrace = builder.shutdownGrace;
        this.onError = builder.onError;
        this.tls = builder.tls;
    }

    /** {@return a builder with every option at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the loops, after reading the TLS files if the client has TLS.
     *
     * @return this client, started
     * @throws IOException when a TLS key, certificate or trust file cannot be used (the message
     *     names the file and why)
     * @throws IllegalStateException when it was started before, or the transport cannot run here
     *     (the reason says why)
     */
    public synchronized TcpClient start() throws IOException {
        if (loops != null) {
            throw new IllegalStateException("already started");
        }
        if (tls != null) {
            tls.load();
        }
        loops = EventLoopGroup.start(transport, loopCount, loopConfig, "jepoll-client-" + transport.shortName());
        return this;
    }

    /**
     * Connects to {@code address}; {@code handler} serves the connection once it is open.
     *
     * @param address where to connect: an {@link InetSocketAddress}, or a
     *     {@link java.net.UnixDomainSocketAddress} (whose connect completes at once, or fails)
     * @param handler serves the connection once it is open
     * @return completes with the open connection (over TLS: once the handshake is done), or with
     *     why it could not be made (the handler then hears nothing)
     * @throws IllegalStateException when the client was not started
     */
    public CompletableFuture<Connection> connect(SocketAddress address, Handler handler) {
        if (loops == null) {
            throw new IllegalStateException("not started: call start() first");
        }
        Objects.requireNonNull(address, "address");
        Handler reported = FailureReport.reporting(Objects.requireNonNull(handler, "handler"), onError);
        if (tls == null) {
            return loops.connect(address, options, reported);
        }
        TlsHandler encrypted = address instanceof InetSocketAddress inet
                ? tls.wrap(reported, inet.getHostString(), inet.getPort())
                : tls.wrap(reported, null, 0);
        return loops.connect(address, options, encrypted).thenCompose(socket -> encrypted.handshake());
    }

    /** {@return the transport the client runs on} */
    public Transport transport() {
        return transport;
    }

    /** {@return the loops' counters summed} */
    public LoopStats stats() {
        return loops.stats();
    }

    /**
     * Closes every connection gracefully, lets queued output flush for up to {@code grace},
     * aborts what is still open after it, and waits (at most 5 s more) for the loops to end.
     *
     * @param grace how long queued output may take to flush
     * @return whether every loop ended
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        return loops == null || loops.shutdownAndWait(grace);
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

    /** Builds a {@link TcpClient}; every option has a default. */
    public static final class Builder extends LoopsBuilder<Builder> {

        private TlsContext tls;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Speaks TLS on every connection: the handler sees plain bytes, and runs once the
         * handshake is done. The host given to {@link #connect} is the name sent (SNI) and
         * checked against the server's certificate, unless the context names another.
         *
         * @param tls a client's context, from {@link TlsContext#client()}
         * @return this builder
         * @throws IllegalArgumentException when {@code tls} is a server's
         */
        public Builder tls(TlsContext tls) {
            if (!tls.isClient()) {
                throw new IllegalArgumentException("a client needs a client's TlsContext: TlsContext.client()");
            }
            this.tls = tls;
            return this;
        }

        /** {@return the client, not started yet} */
        public TcpClient build() {
            return new TcpClient(this);
        }
    }
}
