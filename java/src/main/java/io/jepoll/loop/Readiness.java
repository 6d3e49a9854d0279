package io.jepoll.loop;

/**
 * jepoll's readiness bits. Each poller translates its own flags (EPOLL*, SelectionKey.OP_*)
 * into these once, and asks for interest in them; nothing above a poller sees raw flags.
 */
final class Readiness {

    /** Bytes, an end of stream or a connection to accept are waiting. */
    static final int READABLE = 1;
    /** The socket takes more output, or an outbound connect has finished. */
    static final int WRITABLE = 2;
    /** The peer shut down its output: read to the end, no further edge will come. */
    static final int PEER_CLOSED = 4;
    /** An error or a hang-up of both directions: the next read or write reports it. */
    static final int ERROR = 8;

    private Readiness() {
    }
}
