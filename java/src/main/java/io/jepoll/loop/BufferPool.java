package io.jepoll.loop;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A loop's direct buffers of one size, reused so that queued output costs no allocation
 * once the loop is warm. Loop thread only. Keeps at most {@code maxIdle} free buffers.
 */
final class BufferPool {

    /** A direct buffer and its native address, known once. */
    static final class Chunk {
        final ByteBuffer buffer;
        final long address;

        Chunk(ByteBuffer buffer, long address) {
            this.buffer = buffer;
            this.address = address;
        }

        static Chunk of(ByteBuffer direct) {
            return new Chunk(direct, Pointer.nativeValue(Native.getDirectBufferPointer(direct)));
        }
    }

    private final int chunkSize;
    private final int maxIdle;
    private final boolean needAddresses;
    private final ArrayDeque<Chunk> idle = new ArrayDeque<>();

    BufferPool(int chunkSize, int maxIdle, boolean needAddresses) {
        this.chunkSize = chunkSize;
        this.maxIdle = maxIdle;
        this.needAddresses = needAddresses;
    }

    /** An empty chunk: position 0, limit 0 (no data yet). */
    Chunk take() {
        Chunk chunk = idle.pollLast();
        if (chunk == null) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(chunkSize);
            chunk = needAddresses ? Chunk.of(buffer) : new Chunk(buffer, 0);
        }
        chunk.buffer.clear().limit(0);
        return chunk;
    }

    void give(Chunk chunk) {
        if (idle.size() < maxIdle) {
            idle.addLast(chunk);
        }
    }
}
