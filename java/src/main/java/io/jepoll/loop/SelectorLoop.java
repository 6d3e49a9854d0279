package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An event loop on a java.nio {@link Selector}: the fallback wherever the native library
 * cannot load. Level-triggered like epoll LT, with the same connection state machine.
 */
final class SelectorLoop extends ReadinessLoop {

    private final Selector selector;
    private final ByteBuffer[] gather = new ByteBuffer[1024];
    private int openChannels;

    SelectorLoop(String name, LoopConfig config) throws IOException {
        super(name, config, false);
        this.selector = Selector.open();
    }

    @Override
    public Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void poll(int timeoutMillis) throws IOException {
        counters.count(Call.WAIT);
        int n;
        if (timeoutMillis == 0) {
            n = selector.selectNow(this::dispatch);
        } else {
            n = selector.select(this::dispatch, Math.max(timeoutMillis, 0));
        }
        counters.wakeUps++;
        counters.events += n;
    }

    /** A failure in one channel's handling is that channel's, never the loop's. */
    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        NioChannel channel = (NioChannel) key.attachment();
        try {
            channel.handle(key.readyOps());
        } catch (RuntimeException | Error e) {
            SpareFd.whileReleased(() -> log(System.Logger.Level.WARNING, "unexpected error in a socket of " + this,
                    e));
            channel.failed(e);
        }
    }

    @Override
    protected void wakeUp() {
        selector.wakeup();
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer[] gatherArray() {
        return gather;
    }

    void opened() {
        openChannels++;
    }

    void closed() {
        openChannels--;
    }

    @Override
    public CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        execute(() -> {
            ServerSocketChannel channel = null;
            try {
                counters.count(Call.OTHER);
                channel = ServerSocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(address, options.backlog());
                NioListener listener = new NioListener(this, channel, options, handlers);
                listener.register();
                bound.complete((InetSocketAddress) channel.getLocalAddress());
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                bound.completeExceptionally(e);
            }
        });
        return bound;
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
                NioConnection.applyOptions(channel, options);
                boolean done = channel.connect(address);
                NioConnection connection = new NioConnection(this, channel, handler, connected, address);
                connection.register(done);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    @Override
    protected void closeGracefully() {
        for (NioChannel channel : registered()) {
            channel.closeGracefully();
        }
    }

    @Override
    protected int openChannels() {
        return openChannels;
    }

    @Override
    protected void closeAll() {
        for (NioChannel channel : registered()) {
            channel.abort();
        }
        try {
            selector.close();
        } catch (IOException e) {
            log(System.Logger.Level.WARNING, "closing the selector of " + this + " failed", e);
        }
    }

    private List<NioChannel> registered() {
        List<NioChannel> channels = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                channels.add((NioChannel) key.attachment());
            }
        }
        return channels;
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
