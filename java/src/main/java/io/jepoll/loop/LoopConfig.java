package io.jepoll.loop;

/**
 * Per-loop buffer sizes and limits. Immutable; start from {@link #defaults()}.
 *
 * @param readBufferSize bytes of the loop's one read buffer, and of each pooled output chunk
 * @param readBudget most reads for one connection per wake-up in ET mode before the loop moves
 *     on to others (the rest is served next turn); LT and NIO read once per wake-up
 * @param highWaterMark queued output, in bytes, past which a connection stops reading
 * @param lowWaterMark queued output below which reading resumes
 * @param maxInputBuffer most bytes a handler may leave unconsumed before the connection is
 *     closed as a protocol error (bounds memory whatever a peer sends)
 */
public record LoopConfig(int readBufferSize, int readBudget, int highWaterMark, int lowWaterMark,
        int maxInputBuffer) {

    /**
     * Checks the values.
     *
     * @param readBufferSize see {@link #readBufferSize()}
     * @param readBudget see {@link #readBudget()}
     * @param highWaterMark see {@link #highWaterMark()}
     * @param lowWaterMark see {@link #lowWaterMark()}
     * @param maxInputBuffer see {@link #maxInputBuffer()}
     * @throws IllegalArgumentException when a value is out of range (the message names it)
     */
    public LoopConfig {
        if (readBufferSize < 1024) {
            throw new IllegalArgumentException("readBufferSize must be >= 1024: " + readBufferSize);
        }
        if (readBudget < 1) {
            throw new IllegalArgumentException("readBudget must be >= 1: " + readBudget);
        }
        if (lowWaterMark < 0 || lowWaterMark > highWaterMark) {
            throw new IllegalArgumentException("need 0 <= lowWaterMark <= highWaterMark: " + lowWaterMark + ", "
                    + highWaterMark);
        }
        if (maxInputBuffer < 1) {
            throw new IllegalArgumentException("maxInputBuffer must be >= 1: " + maxInputBuffer);
        }
    }

    /** {@return 64 KiB reads, 16 reads per turn, output paused at 256 KiB and resumed at 64 KiB, 1 MiB of input} */
    public static LoopConfig defaults() {
        return new LoopConfig(64 * 1024, 16, 256 * 1024, 64 * 1024, 1024 * 1024);
    }

    /**
     * {@return these values with other water marks}
     *
     * @param low queued output, in bytes, below which reading resumes
     * @param high queued output, in bytes, past which a connection stops reading
     */
    public LoopConfig withWaterMarks(int low, int high) {
        return new LoopConfig(readBufferSize, readBudget, high, low, maxInputBuffer);
    }

    /**
     * {@return these values with another read budget}
     *
     * @param reads most reads for one connection per wake-up in ET mode
     */
    public LoopConfig withReadBudget(int reads) {
        return new LoopConfig(readBufferSize, reads, highWaterMark, lowWaterMark, maxInputBuffer);
    }

    /**
     * {@return these values with another bound on unconsumed input}
     *
     * @param bytes most bytes a handler may leave unconsumed
     */
    public LoopConfig withMaxInputBuffer(int bytes) {
        return new LoopConfig(readBufferSize, readBudget, highWaterMark, lowWaterMark, bytes);
    }
}
