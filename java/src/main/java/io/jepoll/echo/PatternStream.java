package io.jepoll.echo;

import java.nio.ByteBuffer;

/**
 * A reproducible stream of pseudo-random bytes (xorshift64*), so that a sender and a checker
 * agree on every byte without either keeping what was sent.
 */
final class PatternStream {

    private long state;
    private long word;
    private int bytesLeftInWord;

    PatternStream(long seed) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    byte next() {
        if (bytesLeftInWord == 0) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            word = state * 0x2545F4914F6CDD1DL;
            bytesLeftInWord = 8;
        }
        byte b = (byte) word;
        word >>>= 8;
        bytesLeftInWord--;
        return b;
    }

    /** Fills {@code out} from its position to its limit. */
    void fill(ByteBuffer out) {
        while (out.hasRemaining()) {
            out.put(next());
        }
    }
}
