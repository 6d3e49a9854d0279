package io.jepoll.server;

import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.SocketOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What the builders of a {@link TcpServer} and a {@link TcpClient} share: their loops, the
 * connections' socket options, how they report a handler's exception and how long they let
 * output flush when closed.
 *
 * @param <B> the builder itself, which every setter returns
 */
abstract class LoopsBuilder<B extends LoopsBuilder<B>> {
    Transport transport;
    int loops = 1;
    SocketOptions options = SocketOptions.defaults();
    LoopConfig loopConfig = LoopConfig.defaults();
    Duration shutdownGrace = Duration.ofSeconds(5);
    BiConsumer<? super Connection, ? super Throwable> onError = FailureReport.NONE;

    /** {@return this builder, as its own type} */
    abstract B self();

    /** {@return the transport asked for, or {@link Transport#best()}} */
    Transport transportOrBest() {
        return transport != null ? transport : Transport.best();
    }

    /**
     * Hears of every exception a handler throws, after it is logged (at WARNING, with the
     * connection's addresses); the connection is then closed with it as the cause. Runs
     * under the connection's ownership rule. Default: the log line only.
     *
     * @param hook gets the connection and the exception
     * @return this builder
     */
    public B onError(BiConsumer<? super Connection, ? super Throwable> hook) {
        this.onError = Objects.requireNonNull(hook, "onError");
        return self();
    }

    /**
     * The transport.
     *
     * @param transport how the loops wait for and do I/O (default {@link Transport#best()})
     * @return this builder
     */
    public B transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return self();
    }

    /**
     * How many loops, each a thread. A server's loops each have a listening socket of their
     * own on the port; a client's connections are spread over its loops in turn.
     *
     * @param loops at least 1 (default 1)
     * @return this builder
     * @throws IllegalArgumentException when {@code loops} is less than 1
     */
    public B loops(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1: " + loops);
        }
        this.loops = loops;
        return self();
    }

    /**
     * The socket options of the connections, and of a server's listening sockets.
     *
     * @param options the options (default {@link SocketOptions#defaults()})
     * @return this builder
     */
    public B options(SocketOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return self();
    }

    /**
     * The loops' buffer sizes and limits.
     *
     * @param config the configuration (default {@link LoopConfig#defaults()})
     * @return this builder
     */
    public B loopConfig(LoopConfig config) {
        this.loopConfig = Objects.requireNonNull(config, "loopConfig");
        return self();
    }

    /**
     * How long {@code close()} lets queued output flush.
     *
     * @param grace the grace period (default 5 s)
     * @return this builder
     */
    public B shutdownGrace(Duration grace) {
        this.shutdownGrace = Objects.requireNonNull(grace, "shutdownGrace");
        return self();
    }
}
