package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
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
                new NioListener(this, poller, channel, options, handlers, null, () -> this).register();
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
    CompletableFuture<Void> listen(UnixSocketFile file, SocketOptions options, Supplier<? extends Handler> handlers,
            Supplier<? extends EventLoop> placement) {
        CompletableFuture<Void> bound = new CompletableFuture<>();
        execute(() -> {
            ServerSocketChannel channel = null;
            try {
                counters.count(Call.OTHER);
                channel = openUnixListener(file, options);
                channel.configureBlocking(false);
                new NioListener(this, poller, channel, options, handlers, file, placement).register();
                bound.complete(null);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                file.release();
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    /** A listening channel on {@code file}, for this transport and the blocking one. */
    static ServerSocketChannel openUnixListener(UnixSocketFile file, SocketOptions options) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            file.bind(path -> channel.bind(UnixDomainSocketAddress.of(path), options.backlog()));
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** A channel that can connect to {@code address}: a Unix socket, or java.nio's default TCP socket. */
    static SocketChannel openFor(SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
        inet(address);
        return SocketChannel.open();
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        execute(() -> {
            SocketChannel channel = null;
            try {
                counters.count(Call.CONNECT);
                channel = openFor(address);
                channel.configureBlocking(false);
                NioSocket.applyOptions(channel, options);
                boolean done = channel.connect(address);
                SocketConnection connection = connection(channel, handler, connected, address, null);
                if (done) {
                    connection.connectSucceeded();
                }
            } catch (IOException e) {
                closeQuietly(channel);
                connected.completeExceptionally(named(e, address));
            } catch (RuntimeException e) {
                closeQuietly(channel);
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    /** A failed Unix connect names its path, as the epoll transports' do: java.nio's message does not. */
    static IOException named(IOException failure, SocketAddress address) {
        if (!(address instanceof UnixDomainSocketAddress unix)) {
            return failure;
        }
        ConnectException named = new ConnectException("connect(" + unix.getPath() + "): " + failure.getMessage());
        named.initCause(failure);
        return named;
    }

    /**
     * Sets up an accepted channel as a connection and opens it; one that cannot be set up is
     * logged and closed.
     *
     * @param listenerAddress the Unix socket listener's address, else null
     */
    void open(SocketChannel channel, SocketOptions options, Supplier<? extends Handler> handlers,
            SocketAddress listenerAddress) {
        try {
            channel.configureBlocking(false);
            NioSocket.applyOptions(channel, options);
            connection(channel, handlers.get(), null, null, listenerAddress).opened(null);
        } catch (IOException | RuntimeException | Error e) {
            log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + this, e);
            closeQuietly(channel);
        }
    }

    /**
     * Sets up {@code channel}, accepted by a listener on another loop, as a connection here, or
     * closes it when this loop is going.
     */
    void adopt(SocketChannel channel, SocketOptions options, Supplier<? extends Handler> handlers,
            SocketAddress listenerAddress) {
        try {
            execute(() -> {
                if (isShuttingDown()) {
                    closeQuietly(channel);
                } else {
                    open(channel, options, handlers, listenerAddress);
                }
            });
        } catch (RejectedExecutionException terminated) {
            closeQuietly(channel);
        }
    }

    /** A registered connection on {@code channel}, accepted or (with {@code connecting}) being connected. */
    private SocketConnection connection(SocketChannel channel, Handler handler,
            CompletableFuture<Connection> connecting, SocketAddress connectingTo, SocketAddress listenerAddress)
            throws IOException {
        NioSocket socket = new NioSocket(channel, poller, gather, config.readBufferSize(), counters, listenerAddress);
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
