package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection on a readiness loop (epoll or NIO): the protocol-independent state machine of
 * reading, writing, back-pressure and closing. Subclasses supply the socket calls.
 *
 * <p>Reads go into the loop's one read buffer; only bytes the handler leaves unconsumed are
 * copied into a per-connection buffer, released again once consumed, so an idle connection
 * holds no buffer. Writes go to the socket first; only what it does not take is queued.
 */
abstract class SocketConnection implements Connection {

    /** Returned by {@link #readSocket} when the socket has nothing more for now. */
    static final int WOULD_BLOCK = -2;
    /** Returned by {@link #readSocket} at end of stream. */
    static final int END_OF_STREAM = -1;

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    /** How long a closed connection keeps draining a peer that is still sending; see {@link #finishClose}. */
    static final long LINGER_MILLIS = 2000;

    private enum State { OPEN, CLOSING, LINGERING, CLOSED }

    final ReadinessLoop loop;
    final LoopCounters counters;
    final Handler handler;
    final OutputQueue output;
    boolean queuedReady;
    private State state = State.OPEN;
    private final UnconsumedInput unconsumed;
    private boolean inputShutdown;
    private boolean peerShutdownReported;
    /** Reads resumed with unconsumed input kept: offer it to the handler again before reading more. */
    private boolean redeliver;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean suspendedByUser;
    private boolean suspendedByBackPressure;
    private Object attachment;
    /** Completes when an outbound connect does; null once it did, and for accepted connections. */
    private CompletableFuture<Connection> connecting;
    private final InetSocketAddress connectingTo;
    private InetSocketAddress remoteAddress;

    SocketConnection(ReadinessLoop loop, Handler handler, CompletableFuture<Connection> connecting,
            InetSocketAddress connectingTo) {
        this.loop = loop;
        this.connecting = connecting;
        this.connectingTo = connectingTo;
        this.counters = loop.counters;
        this.handler = handler;
        this.output = new OutputQueue(loop.pool);
        this.unconsumed = new UnconsumedInput(loop.config.maxInputBuffer());
    }

    /** Reads into {@code buffer} from its position: bytes read, {@link #WOULD_BLOCK} or {@link #END_OF_STREAM}. */
    abstract int readSocket(ByteBuffer buffer, long address) throws IOException;

    /** Writes from {@code src} without blocking and moves its position: bytes written, maybe 0. */
    abstract int writeSocket(ByteBuffer src) throws IOException;

    /** Writes queued output in one gathering call without blocking: bytes written, maybe 0. */
    abstract long writeQueued() throws IOException;

    /** Whether the loop wants this connection's reads and/or writability reported now changed. */
    abstract void interestChanged();

    abstract void shutdownSocketOutput() throws IOException;

    /** Releases the socket; called exactly once. */
    abstract void closeSocket();

    abstract InetSocketAddress queryLocalAddress() throws IOException;

    abstract InetSocketAddress queryRemoteAddress() throws IOException;

    /** Whether reads are wanted now: open, not shut down by the peer, not paused. */
    final boolean wantsRead() {
        return state == State.OPEN && !inputShutdown && !suspendedByUser && !suspendedByBackPressure
                || state == State.LINGERING;
    }

    final boolean wantsWrite() {
        return state != State.CLOSED && !output.isEmpty();
    }

    final void opened(InetSocketAddress remote) {
        this.remoteAddress = remote;
        counters.connectionsOpened++;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            closeNow(t);
            return;
        }
        flushAfterCallback();
    }

    /**
     * The socket is readable. Reads until it would block, at most the budget; LT and NIO loops
     * pass a budget of one read (the kernel reports again).
     *
     * @param peerClosed the event said the peer shut down or hung up: from now on read to the
     *     end even past a short read, because no further edge will come
     */
    final void readReady(boolean peerClosed) {
        peerShutdownReported |= peerClosed;
        if (redeliver && state == State.OPEN && wantsRead()) {
            redeliver = false;
            deliver(NOTHING);
        }
        int budget = readBudget();
        ByteBuffer buffer = loop.readChunk.buffer;
        while (wantsRead()) {
            buffer.clear();
            int n;
            try {
                n = readSocket(buffer, loop.readChunk.address);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (n == WOULD_BLOCK) {
                return;
            }
            if (n == END_OF_STREAM) {
                endOfInput();
                return;
            }
            counters.bytesRead += n;
            if (state != State.LINGERING) {
                buffer.limit(n).position(0);
                deliver(buffer);
            }
            if (n < buffer.capacity() && !peerShutdownReported) {
                return;
            }
            if (--budget == 0) {
                if (wantsRead()) {
                    onBudgetSpent();
                }
                return;
            }
        }
    }

    /** How many reads one wake-up allows. */
    abstract int readBudget();

    /** More may be readable but the budget is spent: ET queues the connection for next turn. */
    void onBudgetSpent() {
    }

    /**
     * Reading was paused and may resume. Input the handler left unconsumed is offered again
     * at the end of this turn, without waiting for new bytes; ET also reads then, in case an
     * edge was missed.
     */
    void onReadsResumed() {
        interestChanged();
        if (state == State.OPEN && !unconsumed.isEmpty()) {
            redeliver = true;
            loop.markReady(this);
        }
    }

    private void deliver(ByteBuffer fresh) {
        ByteBuffer in;
        try {
            in = unconsumed.prepend(fresh);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        try {
            handler.onData(this, in);
        } catch (Throwable t) {
            closeNow(t);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        try {
            unconsumed.keep(in);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        flushAfterCallback();
    }

    private void endOfInput() {
        inputShutdown = true;
        if (state == State.LINGERING) {
            closeNow(null);
            return;
        }
        interestChanged();
        try {
            handler.onInputShutdown(this);
        } catch (Throwable t) {
            closeNow(t);
            return;
        }
        flushAfterCallback();
    }

    /** After a callback: a close or shutdown asked for with nothing queued happens now. */
    private void flushAfterCallback() {
        if (state == State.CLOSING && output.isEmpty()) {
            finishClose();
        }
    }

    /**
     * Everything is flushed. Closing now while the peer is still sending would make the kernel
     * answer with a reset, and a reset makes the peer's kernel drop what we sent but it has not
     * yet read. So unless the peer already shut down, send FIN, drain and discard its input
     * until it closes too, for at most {@link #LINGER_MILLIS}, and close then.
     */
    private void finishClose() {
        if (inputShutdown) {
            closeNow(null);
            return;
        }
        state = State.LINGERING;
        unconsumed.clear();
        redeliver = false;
        if (!outputShutdown) {
            outputShutdown = true;
            try {
                shutdownSocketOutput();
            } catch (IOException e) {
                closeNow(null);
                return;
            }
        }
        loop.schedule(() -> closeNow(null), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        onReadsResumed();
    }

    @Override
    public final boolean write(ByteBuffer src) {
        checkLoopThread();
        if (state != State.OPEN || outputShutdownRequested) {
            src.position(src.limit());
            return false;
        }
        if (output.isEmpty() && src.hasRemaining()) {
            try {
                counters.bytesWritten += writeSocket(src);
            } catch (IOException e) {
                closeNow(e);
                return false;
            }
        }
        if (src.hasRemaining()) {
            output.append(src);
            if (!suspendedByBackPressure && output.bytes() > loop.config.highWaterMark()) {
                suspendedByBackPressure = true;
            }
            interestChanged();
        }
        return !suspendedByBackPressure;
    }

    @Override
    public final void flush() {
        checkLoopThread();
        if (state == State.CLOSED) {
            return;
        }
        if (!output.isEmpty()) {
            try {
                counters.bytesWritten += writeQueued();
            } catch (IOException e) {
                closeNow(e);
                return;
            }
        }
        afterFlush();
    }

    /** Settles interest once for what the flush changed: writability no longer wanted, reads resumed. */
    private void afterFlush() {
        if (suspendedByBackPressure && output.bytes() <= loop.config.lowWaterMark()) {
            suspendedByBackPressure = false;
            if (state == State.OPEN) {
                onReadsResumed();
                try {
                    handler.onWritable(this);
                } catch (Throwable t) {
                    closeNow(t);
                    return;
                }
            } else {
                interestChanged();
            }
        } else if (output.isEmpty()) {
            interestChanged();
        }
        if (!output.isEmpty()) {
            return;
        }
        if (state == State.CLOSING) {
            finishClose();
        } else if (outputShutdownRequested && !outputShutdown && state == State.OPEN) {
            shutdownOutputNow();
        }
    }

    @Override
    public final long pendingOutputBytes() {
        return output.bytes();
    }

    @Override
    public final void close() {
        checkLoopThread();
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        interestChanged();
        if (output.isEmpty()) {
            finishClose();
        }
    }

    @Override
    public final void shutdownOutput() {
        checkLoopThread();
        if (state != State.OPEN || outputShutdownRequested) {
            return;
        }
        outputShutdownRequested = true;
        if (output.isEmpty()) {
            shutdownOutputNow();
        }
    }

    private void shutdownOutputNow() {
        outputShutdown = true;
        try {
            shutdownSocketOutput();
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (inputShutdown) {
            closeNow(null);
        }
    }

    @Override
    public final void suspendReads() {
        checkLoopThread();
        if (!suspendedByUser) {
            suspendedByUser = true;
            interestChanged();
        }
    }

    @Override
    public final void resumeReads() {
        checkLoopThread();
        if (suspendedByUser) {
            suspendedByUser = false;
            if (wantsRead()) {
                onReadsResumed();
            }
        }
    }

    @Override
    public final boolean isOpen() {
        return state != State.CLOSED;
    }

    /** Handling an event failed unexpectedly: close, and tell the handler why. */
    public final void failed(Throwable error) {
        closeNow(error);
    }

    /** Closes the socket now, dropping queued output; the handler hears of it once. */
    final void closeNow(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        output.clear();
        unconsumed.clear();
        closeSocket();
        counters.connectionsClosed++;
        try {
            handler.onClose(this, cause);
        } catch (Throwable t) {
            EventLoop.log(System.Logger.Level.WARNING, "onClose of a connection on " + loop + " failed", t);
        }
    }

    final boolean isConnecting() {
        return connecting != null;
    }

    /** An outbound connect completed: the connection opens, then its future completes. */
    final void connectSucceeded() {
        CompletableFuture<Connection> future = connecting;
        connecting = null;
        interestChanged();
        opened(connectingTo);
        future.complete(this);
    }

    /** An outbound connect failed: the socket is released and only the future hears of it. */
    final void connectFailed(Throwable cause) {
        CompletableFuture<Connection> future = connecting;
        connecting = null;
        state = State.CLOSED;
        closeSocket();
        future.completeExceptionally(cause);
    }

    final InetSocketAddress connectingTo() {
        return connectingTo;
    }

    /** Closes at once; a connect still in progress fails its future instead of calling the handler. */
    @Override
    public final void abort() {
        checkLoopThread();
        if (connecting != null) {
            connectFailed(new IOException(loop + " closed the connection before it completed"));
        } else {
            closeNow(null);
        }
    }

    /** The loop shuts down: a graceful close, or a failed future for a connect still in progress. */
    public final void closeGracefully() {
        if (connecting != null) {
            connectFailed(new IOException(loop + " shut down before the connection completed"));
        } else {
            close();
        }
    }

    @Override
    public final InetSocketAddress localAddress() {
        try {
            return queryLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        if (remoteAddress == null) {
            try {
                remoteAddress = queryRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remoteAddress;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }

    private void checkLoopThread() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("a connection is used only from its loop's thread (" + loop
                    + "); hand work over with connection.loop().execute(...)");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + remoteAddress + " on " + loop + ", " + state + "]";
    }
}
