package io.jepoll.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of a streamed body, pulled by the server on the connection's loop only as fast as
 * the peer takes them: an answer's body ({@link HttpResponse#stream}), or a request's
 * ({@link HttpRequest#bodySource}). Don't block in {@link #read}: it runs on the loop.
 */
public interface BodySource {

    /**
     * Puts the next bytes into {@code dst}, from its position.
     *
     * @param dst room for at least one byte
     * @return how many bytes were put; -1 at the end; 0 when none are ready yet (a request's
     *     body still arriving; any other source is asked again on the loop's next turn, so
     *     answer 0 only briefly)
     * @throws IOException when the bytes cannot be had: the answer is cut off and its
     *     connection closed, since its status has been sent
     */
    int read(ByteBuffer dst) throws IOException;

    /** The server is done with this source: read to the end, or abandoned (a closed connection, a HEAD request). */
    default void close() {
    }
}
