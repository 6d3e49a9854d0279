package io.jepoll.loop;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.Epoll;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An event loop on one epoll fd, level- or edge-triggered.
 *
 * <p>ET registers each connection once for IN|OUT|RDHUP and never calls epoll_ctl for it
 * again; LT registers IN|RDHUP and adds OUT only while output is queued. Sockets are never
 * dup'ed, so closing one removes it from the epoll set without an EPOLL_CTL_DEL. Events for
 * an fd closed earlier in the same batch are dropped by their tag, since the kernel hands the
 * same fd number to the next socket at once.
 */
final class EpollLoop extends ReadinessLoop {

    private final boolean edgeTriggered;
    private final Epoll epoll;
    private final int wakeFd;
    private final Object wakeLock = new Object();
    private boolean wakeFdClosed;
    private EpollChannel[] channels = new EpollChannel[256];
    private int openChannels;
    private int nextTag;
    private final Memory iov = new Memory(16L * Shim.IOV_MAX);
    private final long iovAddress = Pointer.nativeValue(iov);
    private final ByteBuffer iovView = iov.getByteBuffer(0, iov.size()).order(ByteOrder.nativeOrder());
    private final Memory accepted = new Memory(4L * 64);
    private final BufferPool.Chunk heapWriteChunk;
    private ByteBuffer lastDirect;
    private long lastDirectAddress;

    EpollLoop(String name, boolean edgeTriggered, LoopConfig config) throws IOException {
        super(name, config, true);
        Transport.EPOLL_ET.requireAvailable();
        this.edgeTriggered = edgeTriggered;
        this.epoll = Epoll.create(256);
        this.wakeFd = Shim.eventfd();
        if (wakeFd < 0) {
            epoll.close();
            throw new NativeIoException("eventfd", wakeFd);
        }
        try {
            epoll.add(wakeFd, Shim.EPOLLIN, 0);
            this.heapWriteChunk = pool.take();
        } catch (NativeIoException | RuntimeException | Error e) {
            Shim.close(wakeFd);
            epoll.close();
            throw e;
        }
    }

    @Override
    public Transport transport() {
        return edgeTriggered ? Transport.EPOLL_ET : Transport.EPOLL_LT;
    }

    boolean edgeTriggered() {
        return edgeTriggered;
    }

    @Override
    protected void poll(int timeoutMillis) throws IOException {
        counters.countNative(Call.WAIT);
        int n = epoll.poll(timeoutMillis);
        counters.wakeUps++;
        counters.events += n;
        for (int i = 0; i < n; i++) {
            int fd = epoll.fd(i);
            if (fd == wakeFd) {
                counters.countNative(Call.WAKEUP_READ);
                Shim.eventfdRead(wakeFd);
                continue;
            }
            EpollChannel channel = fd < channels.length ? channels[fd] : null;
            if (channel != null && channel.tag() == epoll.tag(i)) {
                handle(channel, epoll.events(i));
            }
        }
    }

    /** A failure in one channel's handling is that channel's, never the loop's. */
    private void handle(EpollChannel channel, int events) {
        try {
            channel.handle(events);
        } catch (RuntimeException | Error e) {
            SpareFd.whileReleased(() -> log(System.Logger.Level.WARNING, "unexpected error in a socket of " + this,
                    e));
            channel.failed(e);
        }
    }

    @Override
    protected void wakeUp() {
        synchronized (wakeLock) {
            if (!wakeFdClosed) {
                Shim.eventfdWrite(wakeFd, 1);
            }
        }
    }

    /** Adds {@code channel} to the epoll set and the fd table; returns its tag. */
    int register(int fd, EpollChannel channel, int interest, int tag) throws NativeIoException {
        counters.countNative(Call.CTL);
        epoll.add(fd, interest, tag);
        if (fd >= channels.length) {
            channels = Arrays.copyOf(channels, Math.max(fd + 1, channels.length * 2));
        }
        channels[fd] = channel;
        openChannels++;
        return tag;
    }

    int newTag() {
        return ++nextTag;
    }

    void modify(int fd, int interest, int tag) throws NativeIoException {
        counters.countNative(Call.CTL);
        epoll.modify(fd, interest, tag);
    }

    /** Forgets {@code fd} before it is closed. */
    void unregister(int fd) {
        channels[fd] = null;
        openChannels--;
    }

    long iovAddress() {
        return iovAddress;
    }

    ByteBuffer iovView() {
        return iovView;
    }

    long acceptedAddress() {
        return Pointer.nativeValue(accepted);
    }

    int acceptedFd(int i) {
        return accepted.getInt(4L * i);
    }

    int acceptBatchSize() {
        return (int) (accepted.size() / 4);
    }

    /**
     * The native address of a direct buffer. Looking one up allocates, so the loop remembers
     * the last buffer it saw: a protocol that writes from one reused buffer pays once.
     */
    long addressOf(ByteBuffer direct) {
        if (direct == readChunk.buffer) {
            return readChunk.address;
        }
        if (direct != lastDirect) {
            lastDirectAddress = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
            lastDirect = direct;
        }
        return lastDirectAddress;
    }

    BufferPool.Chunk heapWriteChunk() {
        return heapWriteChunk;
    }

    @Override
    public CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        execute(() -> {
            try {
                counters.countNative(Call.OTHER);
                int fd = Sockets.listen(address, options.backlog(), options.reuseAddress(), options.reusePort());
                EpollListener listener = new EpollListener(this, fd, options, handlers);
                register(fd, listener, Shim.EPOLLIN, listener.tag());
                bound.complete(Sockets.localAddress(fd));
            } catch (IOException | RuntimeException e) {
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    @Override
    public CompletableFuture<Connection> connect(InetSocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        execute(() -> {
            int fd = -1;
            try {
                counters.countNative(Call.CONNECT);
                fd = Sockets.connect(address);
                EpollConnection.applyOptions(this, fd, options);
                EpollConnection connection = new EpollConnection(this, fd, handler, connected, address);
                register(fd, connection, connection.initialInterest(), connection.tag());
            } catch (IOException | RuntimeException e) {
                if (fd >= 0) {
                    Shim.close(fd);
                }
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    @Override
    protected void closeGracefully() {
        for (EpollChannel channel : channels.clone()) {
            if (channel != null) {
                channel.closeGracefully();
            }
        }
    }

    @Override
    protected int openChannels() {
        return openChannels;
    }

    @Override
    protected void closeAll() {
        for (EpollChannel channel : channels.clone()) {
            if (channel != null) {
                channel.abort();
            }
        }
        try {
            epoll.close();
        } catch (NativeIoException e) {
            log(System.Logger.Level.WARNING, "closing the epoll fd of " + this + " failed", e);
        }
        synchronized (wakeLock) {
            wakeFdClosed = true;
            Shim.close(wakeFd);
        }
        iov.close();
        accepted.close();
    }
}
