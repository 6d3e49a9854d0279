package io.jepoll.tls;

import java.nio.ByteBuffer;

/**
 * The buffers a thread encrypts into and decrypts into, shared by every TLS connection the
 * thread serves: a loop's connections take turns, so none holds a buffer of its own while idle.
 * All are heap buffers: the JDK's AES-GCM allocates a temporary array per record for a direct
 * one, and took more CPU with it (2,632 bytes and 13 µs a request on the loop with heap
 * buffers, 3,168 bytes and 14.4 µs with direct ones; benchmarks/scripts/TlsLoopCost.java).
 * Encrypted input arrives in the loop's direct read buffer and is copied here first.
 */
final class TlsBuffers {

    /** A record and its overhead, as the JDK's engines size them. */
    static final int PACKET_SIZE = 16_709;
    /** Room for several records, so that a batch of answers goes out in one write. */
    private static final int RECORDS_PER_BATCH = 4;

    private static final ThreadLocal<TlsBuffers> PER_THREAD = ThreadLocal.withInitial(TlsBuffers::new);

    /** Encrypted output, written to the socket when full or when a write is done. */
    final ByteBuffer out = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);
    /** Encrypted input, copied from the socket's direct buffer. */
    private ByteBuffer encryptedIn = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);
    /** A file's bytes on their way to being encrypted: a TLS connection cannot sendfile(2). */
    final ByteBuffer file = ByteBuffer.allocate(16 * 1024 * RECORDS_PER_BATCH);
    private ByteBuffer in = ByteBuffer.allocate(PACKET_SIZE * RECORDS_PER_BATCH);

    static TlsBuffers get() {
        return PER_THREAD.get();
    }

    /** The decrypted-input buffer, cleared, with room for {@code kept} bytes and a few records after them. */
    ByteBuffer in(int kept) {
        int wanted = kept + PACKET_SIZE * RECORDS_PER_BATCH;
        if (in.capacity() < wanted) {
            in = ByteBuffer.allocate(wanted);
        }
        return in.clear();
    }

    /** {@code in}'s bytes copied to a heap buffer, which the JDK's ciphers read without allocating. */
    ByteBuffer heapCopy(ByteBuffer in) {
        if (encryptedIn.capacity() < in.remaining()) {
            encryptedIn = ByteBuffer.allocate(in.remaining());
        }
        encryptedIn.clear();
        encryptedIn.put(0, in, in.position(), in.remaining());
        return encryptedIn.limit(in.remaining());
    }

    /** A handler left more unconsumed than {@link #in} holds: its bigger successor serves from now on. */
    void replaceIn(ByteBuffer bigger) {
        in = bigger;
    }
}
