package io.jepoll.loop;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes a handler left unconsumed, kept until more arrive. Holds no buffer while there is
 * nothing to keep, and refuses to hold more than a limit, whatever the peer sends.
 */
final class UnconsumedInput {

    private final int limit;
    private ByteBuffer kept;

    UnconsumedInput(int limit) {
        this.limit = limit;
    }

    /** What to hand the handler: {@code fresh} itself, or the kept bytes followed by it. */
    ByteBuffer prepend(ByteBuffer fresh) throws IOException {
        if (kept == null) {
            return fresh;
        }
        int needed = kept.position() + fresh.remaining();
        checkLimit(needed);
        if (needed > kept.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, kept.capacity() * 2));
            bigger.put(kept.flip());
            kept = bigger;
        }
        return kept.put(fresh).flip();
    }

    /** After the handler ran on {@code in} (from {@link #prepend}): keeps what it left. */
    void keep(ByteBuffer in) throws IOException {
        if (in == kept) {
            if (!kept.hasRemaining()) {
                kept = null;
            } else if (kept.position() == 0) {
                kept.position(kept.limit()).limit(kept.capacity());
            } else {
                kept.compact();
            }
        } else if (in.hasRemaining()) {
            checkLimit(in.remaining());
            kept = ByteBuffer.allocate(Math.max(4096, Integer.highestOneBit(in.remaining()) << 1));
            kept.put(in);
        }
    }

    boolean isEmpty() {
        return kept == null;
    }

    void clear() {
        kept = null;
    }

    private void checkLimit(int bytes) throws IOException {
        if (bytes > limit) {
            throw new IOException("the peer sent more than " + limit + " bytes that the handler did not consume");
        }
    }
}
