package io.jepoll.loop;

import io.jepoll.net.SendableFile;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.Errno;
import io.jepoll.shim.NativeFiles;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A connection's fd on an epoll loop: each call one shim call, counted, failing as {@link NativeIoException}. */
final class NativeSocket implements Socket {

    private final int fd;
    private final EpollPoller poller;
    private final NativeIo io;
    private final LoopCounters counters;
    private final SocketAddress unixLocal;

    /** @param unixLocal a Unix socket's own address (its listener's path, or unnamed); null for TCP */
    NativeSocket(int fd, EpollPoller poller, NativeIo io, LoopCounters counters, SocketAddress unixLocal) {
        this.fd = fd;
        this.poller = poller;
        this.io = io;
        this.counters = counters;
        this.unixLocal = unixLocal;
    }

    /** Sets the options that differ from the kernel's defaults; on a Unix socket, only the buffer sizes apply. */
    static void applyOptions(int fd, SocketOptions options, LoopCounters counters, boolean unix)
            throws NativeIoException {
        if (options.tcpNoDelay() && !unix) {
            counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.TCP_NODELAY, 1);
        }
        if (options.keepAlive() && !unix) {
            counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_KEEPALIVE, 1);
        }
        if (options.receiveBufferSize() > 0) {
            counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            counters.countNative(Call.OTHER);
            Sockets.setOption(fd, Shim.SO_SNDBUF, options.sendBufferSize());
        }
    }

    void register(int interest, boolean edgeTriggered, Pollable target) throws NativeIoException {
        poller.register(fd, interest, edgeTriggered, target);
    }

    @Override
    public int read(ByteBuffer buffer, long address) throws IOException {
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
    public int write(ByteBuffer src) throws IOException {
        if (!src.isDirect()) {
            return writeHeap(src);
        }
        counters.countNative(Call.WRITE);
        int n = writeResult(Shim.write(fd, io.addressOf(src) + src.position(), src.remaining()));
        src.position(src.position() + n);
        return n;
    }

    /** Heap bytes go out through the loop's direct chunk, a chunk at a time. */
    private int writeHeap(ByteBuffer src) throws IOException {
        ByteBuffer through = io.heapChunk.buffer;
        int total = 0;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), through.capacity());
            through.clear().put(0, src, src.position(), n);
            counters.countNative(Call.WRITE);
            int written = writeResult(Shim.write(fd, io.heapChunk.address, n));
            src.position(src.position() + written);
            total += written;
            if (written < n) {
                break;
            }
        }
        return total;
    }

    @Override
    public long writeQueued(OutputQueue output) throws IOException {
        int count = Math.min(output.chunks(), Shim.IOV_MAX);
        int n;
        if (count == 1) {
            BufferPool.Chunk chunk = output.chunk(0);
            counters.countNative(Call.WRITE);
            n = writeResult(Shim.write(fd, chunk.address + chunk.buffer.position(), chunk.buffer.remaining()));
        } else {
            counters.countNative(Call.WRITEV);
            n = writeResult(Shim.writev(fd, io.iov(output, count), count));
        }
        output.advance(n);
        return n;
    }

    /** Bytes written, 0 when the socket takes nothing now. */
    private int writeResult(int n) throws NativeIoException {
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n < 0) {
            throw new NativeIoException("write(fd=" + fd + ")", n);
        }
        return n;
    }

    @Override
    public SendableFile openFile(Path path) throws IOException {
        return NativeFile.open(path, counters);
    }

    @Override
    public long sendFile(SendableFile file, long position, long count) throws IOException {
        int fileFd = NativeFile.fdOf(file);
        counters.countNative(Call.SENDFILE);
        long n = NativeFiles.sendfile(fd, fileFd, position, count);
        if (n == NativeFiles.WOULD_BLOCK) {
            return 0;
        }
        if (n == 0) {
            throw new EOFException(file + " ends before position " + position);
        }
        return n;
    }

    @Override
    public void interest(int readiness) throws NativeIoException {
        poller.modify(fd, readiness);
    }

    @Override
    public boolean finishConnect(SocketAddress target) throws NativeIoException {
        NativeIoException error = pendingError("connect(" + target + ")");
        if (error != null) {
            throw error;
        }
        return true;
    }

    @Override
    public NativeIoException pendingError() {
        return pendingError("connection (fd=" + fd + ")");
    }

    private NativeIoException pendingError(String call) {
        counters.countNative(Call.OTHER);
        int error = Shim.getsockopt(fd, Shim.SO_ERROR);
        return error == 0 ? null : new NativeIoException(call, error > 0 ? -error : error);
    }

    @Override
    public void shutdownOutput() throws NativeIoException {
        counters.countNative(Call.SHUTDOWN);
        int rc = Shim.shutdown(fd, Shim.SHUT_WR);
        if (rc < 0) {
            throw new NativeIoException("shutdown(fd=" + fd + ", SHUT_WR)", rc);
        }
    }

    @Override
    public void close() {
        poller.deregister(fd);
        counters.countNative(Call.CLOSE);
        Shim.close(fd);
    }

    /**
     * A Unix socket's is known without a call: the kernel's getsockname would name the private
     * path a listener with permissions was bound at (see {@link UnixSocketFile}).
     */
    @Override
    public SocketAddress localAddress() throws IOException {
        if (unixLocal != null) {
            return unixLocal;
        }
        counters.countNative(Call.OTHER);
        return Sockets.localAddress(fd);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        counters.countNative(Call.OTHER);
        return unixLocal != null ? Sockets.unixPeerAddress(fd) : Sockets.peerAddress(fd);
    }
}
