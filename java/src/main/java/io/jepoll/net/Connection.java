package io.jepoll.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One connection, owned by one loop for its whole life.
 *
 * <p><b>Ownership.</b> Protocol code runs one callback at a time per connection, on every
 * transport: the {@link Handler}'s callbacks and the tasks given to {@link #execute} and
 * {@link #schedule} never overlap, and each sees what the previous one did, so a handler needs
 * no locks and no volatile fields. Call this connection's methods only from inside those
 * callbacks and tasks; from any other thread, hand the work over with {@link #execute}. (On the
 * epoll and NIO transports another thread gets an {@link IllegalStateException}.)
 *
 * <p>One allowance: on the blocking transport {@link #write} blocks until the socket has taken
 * every byte, and while it blocks the connection's tasks may run, so that a timer can still
 * abort a peer that never reads. As on every transport, a write may also close the connection
 * ({@link Handler#onClose} runs before it returns false).
 */
public interface Connection {

    /**
     * Sends {@code src}'s remaining bytes and moves its position to its limit. The bytes go
     * out at once where the socket takes them; only the rest is copied and queued, so
     * {@code src} may be reused as soon as this returns. Ignored once the connection is closing.
     *
     * @param src the bytes to send, from its position to its limit
     * @return false when queued output has passed the high-water mark: reading from this
     *     connection is paused until it drains, and {@link Handler#onWritable} then follows
     */
    boolean write(ByteBuffer src);

    /** Tries again to send queued output now; the loop also does so whenever the socket is writable. */
    void flush();

    /**
     * Asks for one {@link Handler#onWritable} once everything written so far has gone to the
     * socket: on the loop's next turn when nothing is queued. A producer that writes only while
     * nothing is queued holds at most what one write queued, however slow the peer, without
     * stopping reads as the high-water mark does.
     */
    void notifyWhenDrained();

    /** {@return bytes written but not yet taken by the socket} */
    long pendingOutputBytes();

    /**
     * Closes gracefully: reads stop, queued output is flushed, then the fd is closed. A peer
     * still sending then gets a FIN and is drained for a moment first (a lingering close), so
     * that it reads everything sent instead of a reset.
     */
    void close();

    /** Closes at once, dropping queued output. */
    void abort();

    /** Sends FIN after queued output is flushed; reading goes on. */
    void shutdownOutput();

    /** Stops reading (the kernel's buffers then push back on the peer) until {@link #resumeReads}. */
    void suspendReads();

    /** Reads again after {@link #suspendReads}; bytes a handler left unconsumed are offered again first. */
    void resumeReads();

    /** {@return false once the connection is closed and its fd released; true while a close still flushes} */
    boolean isOpen();

    /** {@return this side's address; null once it cannot be known (closed)} */
    SocketAddress localAddress();

    /** {@return the peer's address; null once it cannot be known (closed before it was asked)} */
    SocketAddress remoteAddress();

    /**
     * Runs {@code task} under this connection's ownership rule, from any thread.
     *
     * @param task runs on the connection's loop, never beside one of its callbacks
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} under this connection's ownership rule after {@code delay}; from any thread.
     *
     * @param task runs on the connection's loop, never beside one of its callbacks
     * @param delay how long from now; 0 or less runs it on the next turn of the loop
     * @param unit the unit of {@code delay}
     * @return cancels the task if it has not started
     */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * A direct buffer to build output in, lent for the current callback or task only: it is
     * shared with the loop's other connections and reused after the callback returns. Cleared
     * when handed out. Writing from it is the cheapest write there is.
     *
     * @return the loop's scratch buffer, cleared
     */
    ByteBuffer scratchBuffer();

    /** {@return the bytes read from the peer so far} */
    long bytesRead();

    /** {@return the bytes the kernel has taken so far (written, not merely queued)} */
    long bytesWritten();

    /** {@return what the protocol last said this connection is doing; {@link Activity#AWAITING_REQUEST} at first} */
    Activity activity();

    /**
     * Says what this connection is doing, for servers choosing which connections to close under pressure.
     *
     * @param activity what the connection does from now on
     */
    void activity(Activity activity);

    /** {@return the object last given to {@link #attach}, or null} */
    Object attachment();

    /**
     * Keeps any object the handler wants with the connection.
     *
     * @param attachment replaces the one before; null drops it
     */
    void attach(Object attachment);
}
