package io.jepoll.echo;

import java.util.SplittableRandom;

/**
 * A reproducible stream of pseudo-random bytes: the same seed gives the same bytes however the
 * stream is cut into chunks, so a writer and a checker can each generate it instead of one of
 * them keeping megabytes around.
 */
public final class SeededBytes {

    private final SplittableRandom random;
    private long word;
    private int bytesLeftInWord;

    public SeededBytes(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The first {@code length} bytes of the stream for {@code seed}. */
    public static byte[] array(long seed, int length) {
        byte[] bytes = new byte[length];
        new SeededBytes(seed).fill(bytes, 0, length);
        return bytes;
    }

    /** Puts the next {@code length} bytes of the stream into {@code target} from {@code offset}. */
    public void fill(byte[] target, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytesLeftInWord == 0) {
                word = random.nextLong();
                bytesLeftInWord = 8;
            }
            target[i] = (byte) word;
            word >>>= 8;
            bytesLeftInWord--;
        }
    }

    public void fill(byte[] target) {
        fill(target, 0, target.length);
    }
}
