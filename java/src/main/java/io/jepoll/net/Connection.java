package io.jepoll.net;

import io.jepoll.loop.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One TCP connection, owned by one {@link EventLoop} for its whole life. Call its methods
 * only from that loop's thread (inside a {@link Handler} callback, or a task given to
 * {@link #loop()}{@code .execute}); other threads get an {@link IllegalStateException}.
 */
public interface Connection {

    /**
     * Sends {@code src}'s remaining bytes and moves its position to its limit. The bytes go
     * out at once where the socket takes them; only the rest is copied and queued, so
     * {@code src} may be reused as soon as this returns. Ignored once the connection is closing.
     *
     * @return false when queued output has passed the high-water mark: reading from this
     *     connection is paused until it drains, and {@link Handler#onWritable} then follows
     */
    boolean write(ByteBuffer src);

    /** Tries again to send queued output now; the loop also does so whenever the socket is writable. */
    void flush();

    /** Bytes written but not yet taken by the socket. */
    long pendingOutputBytes();

    /** Closes gracefully: reads stop, queued output is flushed, then the fd is closed. */
    void close();

    /** Closes at once, dropping queued output. */
    void abort();

    /** Sends FIN after queued output is flushed; reading goes on. */
    void shutdownOutput();

    /** Stops reading (the kernel's buffers then push back on the peer) until {@link #resumeReads}. */
    void suspendReads();

    void resumeReads();

    boolean isOpen();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** The loop that owns this connection. */
    EventLoop loop();

    /** Any object the handler wants to keep with the connection. */
    Object attachment();

    void attach(Object attachment);
}
