package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A loop on a java.nio {@link java.nio.channels.Selector}: the fallback wherever the native
 * library cannot load. Level-triggered like epoll LT, with the same connection state machine
 * over java.nio channels ({@link NioSocket}).
 */
final class SelectorLoop extends ReadinessLoop {

    private final SelectorPoller poller;
    private final ByteBuffer[] gather = new ByteBuffer[1024];

    SelectorLoop(String name, LoopConfig config) throws IOException {
        super(name, LoopStats.JDK_BINDING, config, false, false);
        this.poller = new SelectorPoller(counters);
    }

    @Override
    SelectorPoller poller() {
        return poller;
    }

    @Override
    public Transport transport() {
        return Transport.NIO;
    }

    @Override
    CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, boolean openToSiblings) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        execute(() -> {
            ServerSocketChannel channel = null;
            try {
                counters.count(Call.OTHER);
                channel = openListener(address, options, openToSiblings);
                channel.configureBlocking(false);
                InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
                new NioListener(this, poller, channel, options, handlers).register();
                bound.complete(local);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    /**
     * A bound listening channel, for this transport and the blocking one. A failed bind is a
     * {@link BindException} naming the address, as the epoll transports report it. With
     * {@code openToSiblings}, SO_REUSEPORT goes on after the bind: see
     * {@link EventLoopGroup#listen}.
     */
    static ServerSocketChannel openListener(InetSocketAddress address, SocketOptions options, boolean openToSiblings)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            try {
                channel.bind(address, options.backlog());
            } catch (BindException e) {
                BindException named = new BindException("bind(" + address + "): " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            if (openToSiblings) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Connection> connect(InetSocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        execute(() -> {
            SocketChannel channel = null;
            try {
                counters.count(Call.CONNECT);
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                NioSocket.applyOptions(channel, options);
                boolean done = channel.connect(address);
                SocketConnection connection = connection(channel, handler, connected, address);
                if (done) {
                    connection.connectSucceeded();
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    /** Sets up an accepted channel as a connection and opens it; on failure the caller closes the channel. */
    void accepted(SocketChannel channel, SocketOptions options, Handler handler) throws IOException {
        channel.configureBlocking(false);
        NioSocket.applyOptions(channel, options);
        connection(channel, handler, null, null).opened(null);
    }

    /** A registered connection on {@code channel}, accepted or (with {@code connecting}) being connected. */
    private SocketConnection connection(SocketChannel channel, Handler handler,
            CompletableFuture<Connection> connecting, InetSocketAddress connectingTo) throws IOException {
        NioSocket socket = new NioSocket(channel, poller, gather, config.readBufferSize(), counters);
        SocketConnection connection = new SocketConnection(this, socket, handler, connecting, connectingTo);
        socket.register(connection.initialInterest(), connection);
        return connection;
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a socket that failed to set up: nothing more to release.
            }
        }
    }
}
