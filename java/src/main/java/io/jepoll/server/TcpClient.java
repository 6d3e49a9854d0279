package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.net.InetSocketAddress;
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
    private EventLoopGroup loops;

    private TcpClient(Builder builder) {
        this.transport = builder.transport != null ? builder.transport : Transport.best();
        this.loopCount = builder.loops;
        this.options = builder.options;
        this.loopConfig = builder.loopConfig;
        this.shutdownGrace = builder.shutdownGrace;
        this.onError = builder.onError;
    }

    /** {@return a builder with every option at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the loops.
     *
     * @return this client, started
     * @throws IllegalStateException when it was started before, or the transport cannot run here
     *     (the reason says why)
     */
    public synchronized TcpClient start() {
        if (loops != null) {
            throw new IllegalStateException("already started");
        }
        loops = EventLoopGroup.start(transport, loopCount, loopConfig, "jepoll-client-" + transport.shortName());
        return this;
    }

    /**
     * Connects to {@code address}; {@code handler} serves the connection once it is open.
     *
     * @param address where to connect
     * @param handler serves the connection once it is open
     * @return completes with the open connection, or with why it could not be made (the handler
     *     then hears nothing)
     * @throws IllegalStateException when the client was not started
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address, Handler handler) {
        if (loops == null) {
            throw new IllegalStateException("not started: call start() first");
        }
        return loops.connect(Objects.requireNonNull(address, "address"), options,
                FailureReport.reporting(Objects.requireNonNull(handler, "handler"), onError));
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
    public static final class Builder {
        private Transport transport;
        private int loops = 1;
        private SocketOptions options = SocketOptions.defaults();
        private LoopConfig loopConfig = LoopConfig.defaults();
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private BiConsumer<? super Connection, ? super Throwable> onError = FailureReport.NONE;

        private Builder() {
        }

        /**
         * As {@link TcpServer.Builder#onError}: hears of every exception a handler throws, after it is logged.
         *
         * @param hook gets the connection and the exception
         * @return this builder
         */
        public Builder onError(BiConsumer<? super Connection, ? super Throwable> hook) {
            this.onError = Objects.requireNonNull(hook, "onError");
            return this;
        }

        /**
         * The transport.
         *
         * @param transport how the loops wait for and do I/O (default {@link Transport#best()})
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * How many loops, each a thread; connections are spread over them in turn.
         *
         * @param loops at least 1 (default 1)
         * @return this builder
         * @throws IllegalArgumentException when {@code loops} is less than 1
         */
        public Builder loops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("loops must be >= 1: " + loops);
            }
            this.loops = loops;
            return this;
        }

        /**
         * The connections' socket options.
         *
         * @param options the options (default {@link SocketOptions#defaults()})
         * @return this builder
         */
        public Builder options(SocketOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The loops' buffer sizes and limits.
         *
         * @param config the configuration (default {@link LoopConfig#defaults()})
         * @return this builder
         */
        public Builder loopConfig(LoopConfig config) {
            this.loopConfig = Objects.requireNonNull(config, "loopConfig");
            return this;
        }

        /**
         * How long {@link TcpClient#close()} lets queued output flush.
         *
         * @param grace the grace period (default 5 s)
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "shutdownGrace");
            return this;
        }

        /** {@return the client, not started yet} */
        public TcpClient build() {
            return new TcpClient(this);
        }
    }
}
