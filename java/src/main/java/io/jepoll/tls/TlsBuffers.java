package io.jepoll.tls;

import java.nio.ByteBuffer;

/**
 * The buffers a thread encrypts into and decrypts into, shared by every TLS connection the
 * thread serves: a loop's connections take turns, so none holds a buffer of its own while idle.
 * Output is direct, for the socket; plain input is a heap buffer, which the JDK's ciphers work
 * on without a copy.
 */
final class TlsBuffers {

    /** A record and its overhead, as the JDK's engines size them. */
    static final int PACKET_SIZE = 16_709;
    /** Room for several records, so that a batch of answers goes out in one write. */
    private static final int RECORDS_PER_BATCH = 4;

    private static final ThreadLocal<TlsBuffers> PER_THREAD = ThreadLocal.withInitial(TlsBuffers::new);

    /** Encrypted output, written to the socket when full or when a write is done. */
    final ByteBuffer out = ByteBuffer.allocateDirect(PACKET_SIZE * RECORDS_PER_BATCH);
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

    /** A handler left more unconsumed than {@link #in} holds: its bigger successor serves from now on. */
    void replaceIn(ByteBuffer bigger) {
        in = bigger;
    }
}
