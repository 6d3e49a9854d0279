package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/** A TCP connection on a {@link SelectorLoop}. Writability first, then readability, as on epoll. */
final class NioConnection extends SocketConnection implements NioChannel {

    private final SelectorLoop selectorLoop;
    private final SocketChannel channel;
    private SelectionKey key;
    private int interest;

    NioConnection(SelectorLoop loop, SocketChannel channel, Handler handler, CompletableFuture<Connection> connecting,
            InetSocketAddress connectingTo) {
        super(loop, handler, connecting, connectingTo);
        this.selectorLoop = loop;
        this.channel = channel;
    }

    /** Sets the connection options on a java.nio channel, blocking or not. */
    static void applyOptions(SocketChannel channel, SocketOptions options) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
        if (options.keepAlive()) {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        }
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
    }

    /** Registers with the selector; opens the connection now when it is already connected. */
    void register(boolean connected) throws IOException {
        interest = connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT;
        counters.count(Call.CTL);
        key = channel.register(selectorLoop.selector(), interest, this);
        selectorLoop.opened();
        if (!connected) {
            return;
        }
        if (isConnecting()) {
            connectSucceeded();
        } else {
            opened(null);
        }
    }

    @Override
    public void handle(int readyOps) {
        if (isConnecting()) {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
            }
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && wantsWrite()) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && isOpen()) {
            readReady(false);
        }
    }

    private void finishConnect() {
        try {
            counters.count(Call.OTHER);
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        connectSucceeded();
    }

    @Override
    int readBudget() {
        return 1;
    }

    @Override
    int readSocket(ByteBuffer buffer, long address) throws IOException {
        counters.count(Call.READ);
        int n = channel.read(buffer);
        if (n > 0) {
            return n;
        }
        return n < 0 ? END_OF_STREAM : WOULD_BLOCK;
    }

    /** One read buffer's worth of a large heap buffer at most; the rest is queued. */
    @Override
    int writeSocket(ByteBuffer src) throws IOException {
        counters.count(Call.WRITE);
        return writeBounded(channel, src, loop.config.readBufferSize());
    }

    /**
     * Writes {@code src}, but at most {@code most} bytes of a heap buffer: java.nio sends a heap
     * buffer through a direct copy of all its remaining bytes, which it caches on the calling
     * thread for good, so one large write would pin that much native memory per thread.
     */
    static int writeBounded(SocketChannel channel, ByteBuffer src, int most) throws IOException {
        if (src.isDirect() || src.remaining() <= most) {
            return channel.write(src);
        }
        int n = channel.write(src.slice(src.position(), most));
        src.position(src.position() + n);
        return n;
    }

    @Override
    long writeQueued() throws IOException {
        ByteBuffer[] gather = selectorLoop.gatherArray();
        int count = Math.min(output.chunks(), gather.length);
        for (int i = 0; i < count; i++) {
            gather[i] = output.chunk(i).buffer;
        }
        counters.count(count == 1 ? Call.WRITE : Call.WRITEV);
        long n = count == 1 ? channel.write(gather[0]) : channel.write(gather, 0, count);
        output.written(n);
        return n;
    }

    @Override
    void interestChanged() {
        if (isConnecting() || key == null || !key.isValid()) {
            return;
        }
        int wanted = (wantsRead() ? SelectionKey.OP_READ : 0) | (wantsWrite() ? SelectionKey.OP_WRITE : 0);
        if (wanted != interest) {
            counters.count(Call.CTL);
            key.interestOps(wanted);
            interest = wanted;
        }
    }

    @Override
    void shutdownSocketOutput() throws IOException {
        counters.count(Call.SHUTDOWN);
        channel.shutdownOutput();
    }

    @Override
    void closeSocket() {
        if (key != null) {
            key.cancel();
            selectorLoop.closed();
        }
        counters.count(Call.CLOSE);
        SelectorLoop.closeQuietly(channel);
    }

    @Override
    InetSocketAddress queryLocalAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    InetSocketAddress queryRemoteAddress() throws IOException {
        return (InetSocketAddress) channel.getRemoteAddress();
    }
}
