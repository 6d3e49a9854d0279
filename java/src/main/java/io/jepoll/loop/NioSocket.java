package io.jepoll.loop;

import io.jepoll.net.SendableFile;
import io.jepoll.net.SocketOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A connection's java.nio channel: non-blocking on a selector loop, blocking on the blocking transport. */
final class NioSocket implements Socket {

    private final SocketChannel channel;
    private final SelectorPoller poller;
    private final ByteBuffer[] gather;
    private final int mostHeapBytesPerWrite;
    private final LoopCounters counters;
    private final SocketAddress listenerAddress;
    private SelectionKey key;

    /** @param listenerAddress the address of the Unix socket listener that accepted it, else null */
    NioSocket(SocketChannel channel, SelectorPoller poller, ByteBuffer[] gather, int mostHeapBytesPerWrite,
            LoopCounters counters, SocketAddress listenerAddress) {
        this.channel = channel;
        this.poller = poller;
        this.gather = gather;
        this.mostHeapBytesPerWrite = mostHeapBytesPerWrite;
        this.counters = counters;
        this.listenerAddress = listenerAddress;
    }

    /** Sets the options that differ from the kernel's defaults; on a Unix socket, only the buffer sizes apply. */
    static void applyOptions(SocketChannel channel, SocketOptions options) throws IOException {
        boolean tcp = channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY);
        if (options.tcpNoDelay() && tcp) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        if (options.keepAlive() && tcp) {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        }
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
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

    void register(int interest, Pollable target) throws IOException {
        key = poller.register(channel, interest, target);
    }

    @Override
    public int read(ByteBuffer buffer, long address) throws IOException {
        counters.count(Call.READ);
        int n = channel.read(buffer);
        if (n > 0) {
            return n;
        }
        return n < 0 ? END_OF_STREAM : WOULD_BLOCK;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        counters.count(Call.WRITE);
        return writeBounded(channel, src, mostHeapBytesPerWrite);
    }

    @Override
    public long writeQueued(OutputQueue output) throws IOException {
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
    public SendableFile openFile(Path path) throws IOException {
        return ChannelFile.open(path);
    }

    @Override
    public long sendFile(SendableFile file, long position, long count) throws IOException {
        return transfer(file, position, count, channel, counters);
    }

    /**
     * One transferTo, which answers 0 both when the socket is full and when the file has ended:
     * only then is the file's size asked, to tell which.
     */
    static long transfer(SendableFile file, long position, long count, SocketChannel target, LoopCounters counters)
            throws IOException {
        FileChannel source = ChannelFile.channelOf(file);
        counters.count(Call.SENDFILE);
        long n = source.transferTo(position, count, target);
        if (n == 0 && position >= source.size()) {
            throw new EOFException(file + " ends before position " + position);
        }
        return n;
    }

    @Override
    public void interest(int readiness) {
        if (key.isValid()) {
            poller.modify(key, readiness);
        }
    }

    @Override
    public boolean finishConnect(SocketAddress target) throws IOException {
        counters.count(Call.OTHER);
        return channel.finishConnect();
    }

    /** java.nio reports a socket's error through the failing call, never as readiness alone. */
    @Override
    public IOException pendingError() {
        return null;
    }

    @Override
    public void shutdownOutput() throws IOException {
        counters.count(Call.SHUTDOWN);
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        if (key != null) {
            poller.deregister(key);
        }
        counters.count(Call.CLOSE);
        SelectorLoop.closeQuietly(channel);
    }

    /** An accepted Unix socket's is its listener's: the JDK would name the private path a listener with permissions was bound at. */
    @Override
    public SocketAddress localAddress() throws IOException {
        return listenerAddress != null ? listenerAddress : channel.getLocalAddress();
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }
}
