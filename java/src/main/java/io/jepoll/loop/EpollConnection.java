package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.Errno;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP connection on an {@link EpollLoop}. Event order within one wake-up: writability
 * first (it may free room and resume reads), then readability; EPOLLERR and EPOLLHUP count
 * as both, so the failing read or write reports the error.
 */
final class EpollConnection extends SocketConnection implements EpollChannel {

    private static final int ET_INTEREST = Shim.EPOLLIN | Shim.EPOLLOUT | Shim.EPOLLRDHUP | Shim.EPOLLET;

    private final EpollLoop epollLoop;
    private final int fd;
    private final int tag;
    private final boolean edgeTriggered;
    private int interest;

    EpollConnection(EpollLoop loop, int fd, Handler handler, CompletableFuture<Connection> connecting,
            InetSocketAddress connectingTo) {
        super(loop, handler, connecting, connectingTo);
        this.epollLoop = loop;
        this.fd = fd;
        this.tag = loop.newTag();
        this.edgeTriggered = loop.edgeTriggered();
        this.interest = initialInterest();
    }

    static void applyOptions(EpollLoop loop, int fd, SocketOptions options) throws NativeIoException {
        if (options.tcpNoDelay()) {
            loop.counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.TCP_NODELAY, 1);
        }
        if (options.keepAlive()) {
            loop.counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_KEEPALIVE, 1);
        }
        if (options.receiveBufferSize() > 0) {
            loop.counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            loop.counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_SNDBUF, options.sendBufferSize());
        }
    }

    int initialInterest() {
        if (edgeTriggered) {
            return ET_INTEREST;
        }
        return isConnecting() ? Shim.EPOLLOUT : Shim.EPOLLIN | Shim.EPOLLRDHUP;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int tag() {
        return tag;
    }

    @Override
    public void handle(int events) {
        if (isConnecting()
                && ((events & (Shim.EPOLLOUT | Shim.EPOLLERR | Shim.EPOLLHUP)) == 0 || !finishConnect())) {
            return;
        }
        if ((events & (Shim.EPOLLOUT | Shim.EPOLLERR | Shim.EPOLLHUP)) != 0 && wantsWrite()) {
            flush();
        }
        if ((events & (Shim.EPOLLIN | Shim.EPOLLRDHUP | Shim.EPOLLERR | Shim.EPOLLHUP)) != 0 && isOpen()) {
            readReady((events & (Shim.EPOLLRDHUP | Shim.EPOLLHUP | Shim.EPOLLERR)) != 0);
        }
        if ((events & (Shim.EPOLLERR | Shim.EPOLLHUP)) != 0 && isOpen() && !wantsRead() && !wantsWrite()) {
            hungUp();
        }
    }

    /**
     * The kernel reports errors and hang-ups whatever the interest set, so a connection that
     * reads and writes nothing now would be reported again on every wait (LT) or hold its fd
     * until resumed (ET): close it, with the pending error if there is one.
     */
    private void hungUp() {
        closeNow(pendingError("connection (fd=" + fd + ")"));
    }

    /** Completes a non-blocking connect; returns whether the connection is now open. */
    private boolean finishConnect() {
        NativeIoException error = pendingError("connect(" + connectingTo() + ")");
        if (error != null) {
            connectFailed(error);
            return false;
        }
        connectSucceeded();
        return isOpen();
    }

    /** The socket's pending error (reading SO_ERROR clears it) as an exception naming {@code call}, or null. */
    private NativeIoException pendingError(String call) {
        counters.countNative(Call.OTHER);
        int error = Shim.getsockopt(fd, Shim.SO_ERROR);
        return error == 0 ? null : new NativeIoException(call, error > 0 ? -error : error);
    }

    @Override
    int readBudget() {
        return edgeTriggered ? loop.config.readBudget() : 1;
    }

    @Override
    void onBudgetSpent() {
        if (edgeTriggered) {
            loop.markReady(this);
        }
    }

    @Override
    void onReadsResumed() {
        super.onReadsResumed();
        if (edgeTriggered) {
            loop.markReady(this);
        }
    }

    @Override
    int readSocket(ByteBuffer buffer, long address) throws IOException {
        counters.countNative(Call.READ);
        int n = Shim.read(fd, address + buffer.position(), buffer.remaining());
        if (n > 0) {
            buffer.position(buffer.position() + n);
            return n;
        }
        if (n == 0) {
            return END_OF_STREAM;
        }
        if (n == -Errno.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw new NativeIoException("read(fd=" + fd + ")", n);
    }

    @Override
    int writeSocket(ByteBuffer src) throws IOException {
        if (!src.isDirect()) {
            return writeHeap(src);
        }
        return writeAt(src, epollLoop.addressOf(src));
    }

    /** Heap bytes go out through the loop's direct scratch chunk, a chunk at a time. */
    private int writeHeap(ByteBuffer src) throws IOException {
        BufferPool.Chunk scratch = epollLoop.heapWriteChunk();
        int total = 0;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), scratch.buffer.capacity());
            scratch.buffer.clear().put(0, src, src.position(), n);
            counters.countNative(Call.WRITE);
            int written = Shim.write(fd, scratch.address, n);
            if (written == -Errno.EAGAIN) {
                break;
            }
            if (written < 0) {
                throw new NativeIoException("write(fd=" + fd + ")", written);
            }
            src.position(src.position() + written);
            total += written;
            if (written < n) {
                break;
            }
        }
        return total;
    }

    private int writeAt(ByteBuffer src, long address) throws IOException {
        counters.countNative(Call.WRITE);
        int n = Shim.write(fd, address + src.position(), src.remaining());
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n < 0) {
            throw new NativeIoException("write(fd=" + fd + ")", n);
        }
        src.position(src.position() + n);
        return n;
    }

    @Override
    long writeQueued() throws IOException {
        int count = Math.min(output.chunks(), Shim.IOV_MAX);
        if (count == 1) {
            BufferPool.Chunk chunk = output.chunk(0);
            counters.countNative(Call.WRITE);
            int n = Shim.write(fd, chunk.address + chunk.buffer.position(), chunk.buffer.remaining());
            return queuedWritten(n);
        }
        ByteBuffer iov = epollLoop.iovView();
        for (int i = 0; i < count; i++) {
            BufferPool.Chunk chunk = output.chunk(i);
            iov.putLong(16 * i, chunk.address + chunk.buffer.position());
            iov.putLong(16 * i + 8, chunk.buffer.remaining());
        }
        counters.countNative(Call.WRITEV);
        return queuedWritten(Shim.writev(fd, epollLoop.iovAddress(), count));
    }

    private long queuedWritten(int n) throws NativeIoException {
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n < 0) {
            throw new NativeIoException("write(fd=" + fd + ")", n);
        }
        output.advance(n);
        return n;
    }

    @Override
    void interestChanged() {
        if (edgeTriggered || isConnecting() || !isOpen()) {
            return;
        }
        int wanted = (wantsRead() ? Shim.EPOLLIN | Shim.EPOLLRDHUP : 0) | (wantsWrite() ? Shim.EPOLLOUT : 0);
        if (wanted != interest) {
            try {
                epollLoop.modify(fd, wanted, tag);
                interest = wanted;
            } catch (NativeIoException e) {
                closeNow(e);
            }
        }
    }

    @Override
    void shutdownSocketOutput() throws IOException {
        counters.countNative(Call.SHUTDOWN);
        int rc = Shim.shutdown(fd, Shim.SHUT_WR);
        if (rc < 0) {
            throw new NativeIoException("shutdown(fd=" + fd + ", SHUT_WR)", rc);
        }
    }

    @Override
    void closeSocket() {
        epollLoop.unregister(fd);
        counters.countNative(Call.CLOSE);
        Shim.close(fd);
    }

    @Override
    InetSocketAddress queryLocalAddress() throws IOException {
        counters.countNative(Call.OTHER);
        return Sockets.localAddress(fd);
    }

    @Override
    InetSocketAddress queryRemoteAddress() throws IOException {
        counters.countNative(Call.OTHER);
        return Sockets.peerAddress(fd);
    }
}
