package io.jepoll.loop;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory an epoll loop's sockets share for writing: the iov array of a gathering
 * write, a direct chunk that heap bytes are copied through, and the address of the last direct
 * buffer written from. Loop thread only.
 */
final class NativeIo {

    private static final int IOV_SIZE = 16;

    private final Memory iov;
    private final long iovAddress;
    private final ByteBuffer iovView;
    private final BufferPool.Chunk[] known;
    final BufferPool.Chunk heapChunk;
    private ByteBuffer lastDirect;
    private long lastDirectAddress;

    /** @param known the loop's own chunks (read, scratch), whose addresses are known already */
    NativeIo(int iovMax, BufferPool.Chunk heapChunk, BufferPool.Chunk... known) {
        this.iov = new Memory((long) IOV_SIZE * iovMax);
        this.iovAddress = Pointer.nativeValue(iov);
        this.iovView = iov.getByteBuffer(0, iov.size()).order(ByteOrder.nativeOrder());
        this.heapChunk = heapChunk;
        this.known = known;
    }

    /** Lays out {@code count} chunks of {@code output} as an iov array; returns its address. */
    long iov(OutputQueue output, int count) {
        for (int i = 0; i < count; i++) {
            BufferPool.Chunk chunk = output.chunk(i);
            iovView.putLong(IOV_SIZE * i, chunk.address + chunk.buffer.position());
            iovView.putLong(IOV_SIZE * i + 8, chunk.buffer.remaining());
        }
        return iovAddress;
    }

    /**
     * The native address of a direct buffer. Looking one up allocates, so the loop remembers
     * the last buffer it saw: a protocol that writes from one reused buffer pays once.
     */
    long addressOf(ByteBuffer direct) {
        for (BufferPool.Chunk chunk : known) {
            if (direct == chunk.buffer) {
                return chunk.address;
            }
        }
        if (direct != lastDirect) {
            lastDirectAddress = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
            lastDirect = direct;
        }
        return lastDirectAddress;
    }

    void close() {
        iov.close();
    }
}
