package io.jepoll.net;

import java.nio.ByteBuffer;

/**
 * What a protocol does with one connection. One instance serves one connection, and its
 * callbacks run one at a time under the connection's ownership rule (see {@link Connection}), so
 * a handler needs no locks. The same handler runs unchanged on every transport (epoll ET and LT,
 * java.nio, blocking).
 */
public interface Handler {

    /**
     * The connection is open (accepted, or an outbound connect completed).
     *
     * @param connection the connection this handler serves
     */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived: {@code in} holds them from its position to its limit, after any bytes a
     * previous call left unconsumed. Consume by advancing {@code in}'s position; what is left is
     * offered again, with more, next time. {@code in} is valid only during the call.
     *
     * @param connection the connection this handler serves
     * @param in the bytes not yet consumed, from its position to its limit
     */
    void onData(Connection connection, ByteBuffer in);

    /**
     * The connection takes output again: output that had backed up past the high-water mark
     * has drained below the low-water mark; after a {@link Connection#sendFile} that sent less
     * than it was asked to, the socket can take more (output queued before it drained, or the
     * kernel reported room); after {@link Connection#notifyWhenDrained}, all output queued has
     * gone to the socket. A handler sending a file sends the rest from here; one call may stand
     * for several reasons.
     *
     * @param connection the connection this handler serves
     */
    default void onWritable(Connection connection) {
    }

    /**
     * The peer shut down its output (end of stream). The default closes this side gracefully:
     * pending output is flushed first, as an echo or HTTP/1.0 server wants.
     *
     * @param connection the connection this handler serves
     */
    default void onInputShutdown(Connection connection) {
        connection.close();
    }

    /**
     * The server is draining (see {@code TcpServer.drain}): finish what is under way, take no new
     * work, and close. Called at most once, after {@link #onOpen}, also for a connection accepted
     * while the server drains. The default closes gracefully at once (queued output is flushed
     * first), as a stream protocol such as echo wants; a request-response protocol closes between
     * requests instead, and tells its peer so (HTTP answers with {@code Connection: close}).
     *
     * @param connection the connection this handler serves
     */
    default void onDrain(Connection connection) {
        connection.close();
    }

    /**
     * The connection is closed and its fd released; called exactly once.
     *
     * @param connection the connection this handler served
     * @param cause why, when it was an error (a reset, a failed connect, a limit); else null
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
