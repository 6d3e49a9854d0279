package io.jepoll.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers one call of a TLS connection encrypts into and decrypts into, borrowed from a
 * small pool shared by every connection and given back when the call ends: a loop's
 * connections take turns with one set, and an idle connection holds none, on the blocking
 * transport's thread per connection as on a loop. The pool keeps a few sets per core; a call
 * that finds it empty makes a set, and one given back to a full pool is left to the collector.
 *
 * <p>All are heap buffers: the JDK's AES-GCM allocates a temporary array per record for a direct
 * one, and took more CPU with it (2,632 bytes and 13 µs a request on the loop with heap buffers,
 * 3,168 bytes and 14.4 µs with direct ones; benchmarks/scripts/TlsLoopCost.java). Encrypted
 * input arrives in the loop's direct read buffer and is copied here first.
 */
final class TlsBuffers {

    /** A record and its overhead, as the JDK's engines size them. */
    static final int PACKET_SIZE = 16_709;
    /** Room for several records, so that a batch of answers goes out in one write. */
    private static final int RECORDS_PER_BATCH = 4;
    private static final AtomicReferenceArray<TlsBuffers> POOL =
            new AtomicReferenceArray<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    /** Encrypted output, written to the socket when full or when a write is done. */
    final ByteBuffer out = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);
    /** A file's bytes on their way to being encrypted: a TLS connection cannot sendfile(2). */
    final ByteBuffer file = ByteBuffer.allocate(16 * 1024 * RECORDS_PER_BATCH);
    /** Encrypted input, copied from the socket's direct buffer. */
    private ByteBuffer encryptedIn = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);
    private ByteBuffer in = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);

    /** {@return a set of buffers for one call, from the pool if it has one} */
    static TlsBuffers borrow() {
        int slots = POOL.length();
        int first = (int) (Thread.currentThread().getId() % slots);
        for (int i = 0; i < slots; i++) {
            int slot = (first + i) % slots;
            TlsBuffers buffers = POOL.get(slot);
            if (buffers != null && POOL.compareAndSet(slot, buffers, null)) {
                return buffers;
            }
        }
        return new TlsBuffers();
    }

    /** Gives {@code buffers} back after its call. */
    static void release(TlsBuffers buffers) {
        int slots = POOL.length();
        int first = (int) (Thread.currentThread().getId() % slots);
        for (int i = 0; i < slots; i++) {
            int slot = (first + i) % slots;
            if (POOL.get(slot) == null && POOL.compareAndSet(slot, null, buffers)) {
                return;
            }
        }
    }

    /** The decrypted-input buffer, cleared, with room for {@code kept} bytes and a few records after them. */
    ByteBuffer in(int kept) {
        int wanted = kept + PACKET_SIZE * RECORDS_PER_BATCH;
        if (in.capacity() < wanted) {
            in = ByteBuffer.allocate(wanted);
        }
        return in.clear();
    }

    /** A handler left more unconsumed than {@link #in} holds: its bigger successor serves from now on. */
    void replaceIn(ByteBuffer bigger) {
        in = bigger;
    }

    /**
     * The encrypted input of a call, in a heap buffer, which the JDK's ciphers read without
     * allocating: {@code held}'s remaining bytes (null: none), then {@code socketIn}'s. Neither
     * is moved.
     */
    ByteBuffer encryptedCopy(ByteBuffer held, ByteBuffer socketIn) {
        int heldBytes = held == null ? 0 : held.remaining();
        int total = heldBytes + socketIn.remaining();
        if (encryptedIn.capacity() < total) {
            encryptedIn = ByteBuffer.allocate(total);
        }
        encryptedIn.clear();
        if (held != null) {
            encryptedIn.put(0, held, held.position(), heldBytes);
        }
        encryptedIn.put(heldBytes, socketIn, socketIn.position(), socketIn.remaining());
        return encryptedIn.limit(total);
    }
}
