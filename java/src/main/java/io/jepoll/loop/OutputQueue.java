package io.jepoll.loop;

import io.jepoll.loop.BufferPool.Chunk;
import java.nio.ByteBuffer;

/**
 * Output a connection could not write at once, as a run of pooled chunks. Each chunk's
 * buffer holds its unsent bytes between position and limit. Loop thread only.
 */
final class OutputQueue {

    private final BufferPool pool;
    private Chunk[] ring = new Chunk[4];
    private int head;
    private int count;
    private long bytes;

    OutputQueue(BufferPool pool) {
        this.pool = pool;
    }

    boolean isEmpty() {
        return bytes == 0;
    }

    long bytes() {
        return bytes;
    }

    /** How many chunks hold data. */
    int chunks() {
        return count;
    }

    /** The {@code i}-th chunk from the oldest. */
    Chunk chunk(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    /** Copies all of {@code src}'s remaining bytes in and moves its position to its limit. */
    void append(ByteBuffer src) {
        while (src.hasRemaining()) {
            Chunk last = count == 0 ? null : chunk(count - 1);
            if (last == null || last.buffer.limit() == last.buffer.capacity()) {
                last = pool.take();
                push(last);
            }
            ByteBuffer buffer = last.buffer;
            int end = buffer.limit();
            int n = Math.min(src.remaining(), buffer.capacity() - end);
            buffer.limit(end + n);
            buffer.put(end, src, src.position(), n);
            src.position(src.position() + n);
            bytes += n;
        }
    }

    /** {@code n} bytes were sent from the front: moves positions and returns emptied chunks. */
    void advance(long n) {
        long left = n;
        while (left > 0) {
            ByteBuffer front = ring[head].buffer;
            int step = (int) Math.min(left, front.remaining());
            front.position(front.position() + step);
            left -= step;
            bytes -= step;
            if (!front.hasRemaining()) {
                pop();
            }
        }
    }

    /** {@code n} bytes were sent by a channel that moved the chunks' positions itself. */
    void written(long n) {
        bytes -= n;
        while (count > 0 && !ring[head].buffer.hasRemaining()) {
            pop();
        }
    }

    /** Drops everything and returns the chunks to the pool. */
    void clear() {
        while (count > 0) {
            pop();
        }
        bytes = 0;
    }

    private void push(Chunk chunk) {
        if (count == ring.length) {
            Chunk[] bigger = new Chunk[ring.length * 2];
            for (int i = 0; i < count; i++) {
                bigger[i] = chunk(i);
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + count) & (ring.length - 1)] = chunk;
        count++;
    }

    private void pop() {
        Chunk chunk = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        count--;
        pool.give(chunk);
    }
}
