package io.jepoll.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

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
 * ({@link Handler#onClose} runs before it returns false). The same holds for {@link #sendFile}.
 *
 * <p><b>Files.</b> {@link #sendFile} sends a region of a file without copying it through the
 * JVM: the kernel moves the bytes from the page cache to the socket (sendfile(2)). Nothing of
 * the file is queued in memory, so a slow reader of a large file costs no buffer; instead the
 * handler keeps its place in the file and sends more from {@link Handler#onWritable}:
 * <pre>{@code
 * long sent = connection.sendFile(file, position, end - position);
 * position += sent;   // if position < end, onWritable follows: call sendFile again from there
 * }</pre>
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

    /**
     * Opens a regular file for {@link #sendFile} on this connection's transport: a native fd on
     * the epoll transports, a {@link java.nio.channels.FileChannel} on NIO and blocking. The
     * file may be sent on any connection of the same transport; the caller owns it and closes it.
     *
     * @param path the file to open, read-only
     * @return the open file
     * @throws IOException when it cannot be opened, or is not a regular file (a directory, a
     *     fifo, a device): the message names the path
     */
    SendableFile openFile(Path path) throws IOException;

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} without copying them
     * through the JVM, after any output written before: one sendfile(2) per call on the epoll
     * transports, one {@link java.nio.channels.FileChannel#transferTo} on NIO and blocking. The
     * file's bytes are never queued in memory, and the file is never closed by the connection.
     *
     * <p>On the non-blocking transports (epoll, NIO) it sends what the socket takes now, without
     * blocking, and returns how much that was. When output written earlier is still queued it
     * sends nothing, so that bytes go out in the order they were given, and returns 0. Whenever
     * it returns less than {@code count}, {@link Handler#onWritable} follows once the socket can
     * take more (the queued output drained, or the kernel reported room); send the rest from
     * there. On the blocking transport it returns when the socket has taken all {@code count}
     * bytes, and, as for {@link #write}, the connection's tasks may run meanwhile. A connection
     * behind TLS ({@link #tlsSession()} not null) reads the file and writes it encrypted instead,
     * at most 1 MiB per call on every transport, the blocking one included: the rest follows from
     * {@link Handler#onWritable}, as on the non-blocking transports.
     *
     * <p>A connection that is closed or closing, or whose output is shut down, sends nothing and
     * returns 0. A failing send closes the connection, as a failing write does:
     * {@link Handler#onClose} runs, with the cause, before this returns. A file that ends before
     * {@code position + count} (it shrank after it was opened) fails the send in the same way,
     * with an {@link java.io.EOFException}: the peer could not tell that bytes are missing.
     *
     * @param file a file from {@link #openFile} of a connection of the same transport, open
     * @param position the offset in the file of the first byte to send
     * @param count how many bytes to send from there
     * @return bytes the socket took now, 0 to {@code count}
     * @throws IllegalArgumentException when {@code position} or {@code count} is negative, or
     *     {@code file} was opened for another transport
     */
    long sendFile(SendableFile file, long position, long count);

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

    /**
     * {@return the socket's peer: the client, or a balancer in front of it; null once it cannot be
     * known (closed before it was asked)}
     *
     * @see #clientAddress()
     */
    SocketAddress remoteAddress();

    /**
     * {@return the client's address: the socket's peer ({@link #remoteAddress()}), or, on a server
     * behind a balancer speaking the PROXY protocol, the client's address as the balancer reported
     * it}
     */
    default SocketAddress clientAddress() {
        return remoteAddress();
    }

    /**
     * {@return the address the client connected to: this side's ({@link #localAddress()}), or, on a
     * server behind a balancer speaking the PROXY protocol, the balancer's address as the balancer
     * reported it}
     */
    default SocketAddress clientDestination() {
        return localAddress();
    }

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

    /**
     * {@return the TLS session once the handshake is done: the protocol, the cipher suite, the
     * peer's verified certificates ({@link SSLSession#getPeerCertificates()}, for mutual TLS);
     * null on a connection without TLS}
     */
    default SSLSession tlsSession() {
        return null;
    }

    /** {@return the object last given to {@link #attach}, or null} */
    Object attachment();

    /**
     * Keeps any object the handler wants with the connection.
     *
     * @param attachment replaces the one before; null drops it
     */
    void attach(Object attachment);
}
