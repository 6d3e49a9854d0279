package io.jepoll.loop;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection on a readiness loop (epoll ET or LT, or NIO): the whole life of a connection
 * over a {@link Socket}, whatever the transport: connect, reads within a budget, unconsumed
 * input, the output queue, back-pressure, lingering close and abort.
 *
 * <p>Reads go into the loop's one read buffer; only bytes the handler leaves unconsumed are
 * copied into a per-connection buffer, released again once consumed, so an idle connection
 * holds no buffer. Writes go to the socket first; only what it does not take is queued.
 *
 * <p>Edge-triggered, the socket is registered once for reads and writes and never changed, and
 * a connection that may have more to read goes on the loop's ready list. Level-triggered, it
 * reads once per wake-up and asks for writability only while output is queued or a file send
 * waits for room.
 *
 * <p>A file is sent from where it lies (sendfile) and never queued: a send the socket did not
 * take whole leaves {@link #writableOwed} set, and the next writable event, or the queued
 * output draining, calls {@link Handler#onWritable} for the handler to send the rest.
 */
final class SocketConnection implements Connection, Pollable {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    /** How long a closed connection keeps draining a peer that is still sending; see {@link #finishClose}. */
    static final long LINGER_MILLIS = 2000;

    private enum State { OPEN, CLOSING, LINGERING, CLOSED }

    private final ReadinessLoop loop;
    private final Socket socket;
    private final LoopCounters counters;
    private final Handler handler;
    private final OutputQueue output;
    private final boolean edgeTriggered;
    /** The readiness asked of a level-triggered registration. */
    private int interest;
    /** On the loop's ready list; see {@link ReadinessLoop#markReady}. */
    boolean queuedReady;
    private State state = State.OPEN;
    private Cancellable lingerTimer;
    private final UnconsumedInput unconsumed;
    private boolean inputShutdown;
    private boolean peerShutdownReported;
    /** Reads resumed with unconsumed input kept: offer it to the handler again before reading more. */
    private boolean redeliver;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean suspendedByUser;
    private boolean suspendedByBackPressure;
    /**
     * onWritable is owed once the socket takes more: a {@link #sendFile} sent less than asked,
     * or {@link #notifyWhenDrained} was called with output queued.
     */
    private boolean writableOwed;
    private Object attachment;
    private Activity activity = Activity.AWAITING_REQUEST;
    private long bytesRead;
    private long bytesWritten;
    /** Completes when an outbound connect does; null once it did, and for accepted connections. */
    private CompletableFuture<Connection> connecting;
    private final SocketAddress connectingTo;
    private SocketAddress remoteAddress;

    /**
     * @param connecting for an outbound connect still in progress, the future it completes; else null
     */
    SocketConnection(ReadinessLoop loop, Socket socket, Handler handler, CompletableFuture<Connection> connecting,
            SocketAddress connectingTo) {
        this.loop = loop;
        this.socket = socket;
        this.connecting = connecting;
        this.connectingTo = connectingTo;
        this.counters = loop.counters;
        this.handler = handler;
        this.output = new OutputQueue(loop.pool);
        this.unconsumed = new UnconsumedInput(loop.config.maxInputBuffer());
        this.edgeTriggered = loop.edgeTriggered;
        this.interest = initialInterest();
    }

    /** What to register the socket for: everything once (ET), else reads, or the connect's completion. */
    int initialInterest() {
        if (edgeTriggered) {
            return Readiness.READABLE | Readiness.WRITABLE;
        }
        return connecting != null ? Readiness.WRITABLE : Readiness.READABLE;
    }

    /**
     * One ready event. The order matters, and each step is pinned by a test:
     * <ol>
     * <li>A connect in progress completes on writability or an error, and fails on an error
     *     (TcpClientTest); nothing else happens before it has.
     * <li>Writability first: sending queued output may fall below the low-water mark and resume
     *     reads in this very event (BackPressureTest, SlowReaderTest).
     * <li>Then reads. A peer that shut down or failed is read to the end even past a short read,
     *     since no further edge comes (EndOfStreamTest); an error surfaces as the failing read.
     * <li>An error or hang-up with nothing wanted (reads suspended, nothing queued) closes now:
     *     the kernel reports it whatever the interest, LT on every wait, and ET would keep the fd
     *     until reads resume (HangUpWhileSuspendedTest).
     * </ol>
     */
    @Override
    public void ready(int readiness) {
        if (connecting != null && ((readiness & (Readiness.WRITABLE | Readiness.ERROR)) == 0 || !finishConnect())) {
            return;
        }
        if ((readiness & (Readiness.WRITABLE | Readiness.ERROR)) != 0) {
            if (wantsWrite()) {
                flush();
            } else if (writableOwed) {
                writableAgain();
            }
        }
        if ((readiness & (Readiness.READABLE | Readiness.PEER_CLOSED | Readiness.ERROR)) != 0 && isOpen()) {
            readReady((readiness & (Readiness.PEER_CLOSED | Readiness.ERROR)) != 0);
        }
        if ((readiness & Readiness.ERROR) != 0 && isOpen() && !wantsRead() && !wantsWrite()) {
            closeNow(socket.pendingError());
        }
    }

    /** Whether reads are wanted now: open, not shut down by the peer, not paused. */
    private boolean wantsRead() {
        return state == State.OPEN && !inputShutdown && !suspendedByUser && !suspendedByBackPressure
                || state == State.LINGERING;
    }

    private boolean wantsWrite() {
        return state != State.CLOSED && !output.isEmpty();
    }

    /** Whether a level-triggered registration asks for writability: output queued, or a file send waiting. */
    private boolean wantsWritable() {
        return wantsWrite() || writableOwed;
    }

    void opened(SocketAddress remote) {
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
     * The socket is readable. Reads until it would block, at most the read budget: one read
     * level-triggered, since the kernel reports again.
     *
     * @param peerClosed the event said the peer shut down or hung up: from now on read to the
     *     end even past a short read, because no further edge will come
     */
    private void readReady(boolean peerClosed) {
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
                n = socket.read(buffer, loop.readChunk.address);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (n == Socket.WOULD_BLOCK) {
                return;
            }
            if (n == Socket.END_OF_STREAM) {
                endOfInput();
                return;
            }
            counters.bytesRead += n;
            bytesRead += n;
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

    /** How many reads one wake-up allows: the budget edge-triggered, else one (the kernel reports again). */
    private int readBudget() {
        return edgeTriggered ? loop.config.readBudget() : 1;
    }

    /** More may be readable but the budget is spent: ET serves the connection again next turn. */
    private void onBudgetSpent() {
        if (edgeTriggered) {
            loop.markReady(this);
        }
    }

    /**
     * Reading was paused and may resume. Input the handler left unconsumed is offered again
     * at the end of this turn, without waiting for new bytes; ET also reads then, in case an
     * edge was missed while paused.
     */
    private void onReadsResumed() {
        interestChanged();
        if (state == State.OPEN && !unconsumed.isEmpty()) {
            redeliver = true;
            loop.markReady(this);
        } else if (edgeTriggered) {
            loop.markReady(this);
        }
    }

    /** A level-triggered registration follows what the connection wants: one epoll_ctl (or key change) per change. */
    private void interestChanged() {
        if (edgeTriggered || connecting != null || state == State.CLOSED) {
            return;
        }
        int wanted = (wantsRead() ? Readiness.READABLE : 0) | (wantsWritable() ? Readiness.WRITABLE : 0);
        if (wanted != interest) {
            try {
                socket.interest(wanted);
                interest = wanted;
            } catch (IOException e) {
                closeNow(e);
            }
        }
    }

    /** Completes an outbound connect; returns whether the connection is now open. */
    private boolean finishConnect() {
        try {
            if (!socket.finishConnect(connectingTo)) {
                return false;
            }
        } catch (IOException e) {
            connectFailed(e);
            return false;
        }
        connectSucceeded();
        return isOpen();
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
                socket.shutdownOutput();
            } catch (IOException e) {
                closeNow(null);
                return;
            }
        }
        lingerTimer = loop.schedule(() -> closeNow(null), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        onReadsResumed();
    }

    @Override
    public boolean write(ByteBuffer src) {
        checkLoopThread();
        if (state != State.OPEN || outputShutdownRequested) {
            src.position(src.limit());
            return false;
        }
        if (output.isEmpty() && src.hasRemaining()) {
            try {
                int n = socket.write(src);
                counters.bytesWritten += n;
                bytesWritten += n;
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
    public void flush() {
        checkLoopThread();
        if (state == State.CLOSED) {
            return;
        }
        boolean hadOutput = !output.isEmpty();
        if (hadOutput) {
            try {
                long n = socket.writeQueued(output);
                counters.bytesWritten += n;
                bytesWritten += n;
            } catch (IOException e) {
                closeNow(e);
                return;
            }
        }
        afterFlush(hadOutput);
    }

    /**
     * Settles interest once for what the flush changed: writability no longer wanted, reads
     * resumed, a file send waiting for the queue free to go on.
     *
     * @param hadOutput output was queued before the flush: only its draining lets a waiting file
     *     send go on here, so that a handler flushing from onWritable cannot call itself again
     */
    private void afterFlush(boolean hadOutput) {
        if (suspendedByBackPressure && output.bytes() <= loop.config.lowWaterMark()) {
            suspendedByBackPressure = false;
            if (state == State.OPEN) {
                onReadsResumed();
                // One call for both reasons when the queue is empty: a file send waits no longer.
                writableOwed &= !output.isEmpty();
                try {
                    handler.onWritable(this);
                } catch (Throwable t) {
                    closeNow(t);
                    return;
                }
                if (state == State.OPEN) {
                    // A file send the handler left waiting, or finished, changes what LT asks for.
                    interestChanged();
                }
            } else {
                interestChanged();
            }
        } else if (hadOutput && output.isEmpty() && writableOwed && state == State.OPEN) {
            writableAgain();
        } else if (output.isEmpty() && state != State.CLOSING) {
            // Closing, finishClose below settles interest for the lingering drain: one change, not two.
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
    public void notifyWhenDrained() {
        checkLoopThread();
        if (output.isEmpty()) {
            loop.execute(() -> {
                if (state == State.OPEN) {
                    writableAgain();
                }
            });
        } else {
            writableOwed = true;
        }
    }

    @Override
    public long pendingOutputBytes() {
        return output.bytes();
    }

    @Override
    public SendableFile openFile(Path path) throws IOException {
        checkLoopThread();
        return socket.openFile(path);
    }

    @Override
    public long sendFile(SendableFile file, long position, long count) {
        checkLoopThread();
        checkRegion(file, position, count);
        if (state != State.OPEN || outputShutdownRequested || count == 0) {
            return 0;
        }
        long n = 0;
        if (output.isEmpty()) {
            try {
                n = socket.sendFile(file, position, count);
            } catch (IOException e) {
                closeNow(e);
                return 0;
            }
            counters.bytesWritten += n;
            bytesWritten += n;
        }
        if (n < count && !writableOwed) {
            writableOwed = true;
            interestChanged();
        }
        return n;
    }

    static void checkRegion(SendableFile file, long position, long count) {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0 || position + count < 0) {
            throw new IllegalArgumentException("a file region needs position >= 0 and count >= 0, within a long: "
                    + position + ", " + count);
        }
    }

    /**
     * The socket takes more (or queued output drained) while onWritable is owed: the handler
     * sends on from {@link Handler#onWritable}, and interest is settled once for what it did.
     */
    private void writableAgain() {
        writableOwed = false;
        try {
            handler.onWritable(this);
        } catch (Throwable t) {
            closeNow(t);
            return;
        }
        interestChanged();
        flushAfterCallback();
    }

    @Override
    public void close() {
        checkLoopThread();
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        writableOwed = false;
        interestChanged();
        if (output.isEmpty()) {
            finishClose();
        }
    }

    @Override
    public void shutdownOutput() {
        checkLoopThread();
        if (state != State.OPEN || outputShutdownRequested) {
            return;
        }
        outputShutdownRequested = true;
        writableOwed = false;
        if (output.isEmpty()) {
            shutdownOutputNow();
        }
    }

    private void shutdownOutputNow() {
        outputShutdown = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (inputShutdown) {
            closeNow(null);
        }
    }

    @Override
    public void suspendReads() {
        checkLoopThread();
        if (!suspendedByUser) {
            suspendedByUser = true;
            interestChanged();
        }
    }

    @Override
    public void resumeReads() {
        checkLoopThread();
        if (suspendedByUser) {
            suspendedByUser = false;
            if (wantsRead()) {
                onReadsResumed();
            }
        }
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    /** Handling an event failed unexpectedly: close, and tell the handler why. */
    @Override
    public void failed(Throwable error) {
        closeNow(error);
    }

    /** Closes the socket now, dropping queued output; the handler hears of it once. */
    private void closeNow(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        writableOwed = false;
        output.clear();
        unconsumed.clear();
        if (lingerTimer != null) {
            // Else the timer would hold this connection (and its handler) for the rest of the linger.
            lingerTimer.cancel();
        }
        socket.close();
        counters.connectionsClosed++;
        try {
            handler.onClose(this, cause);
        } catch (Throwable t) {
            EventLoop.log(System.Logger.Level.WARNING, "onClose of a connection on " + loop + " failed", t);
        }
    }

    /** An outbound connect completed: the connection opens, then its future completes. */
    void connectSucceeded() {
        CompletableFuture<Connection> future = connecting;
        connecting = null;
        interestChanged();
        opened(connectingTo);
        future.complete(this);
    }

    /** An outbound connect failed: the socket is released and only the future hears of it. */
    private void connectFailed(Throwable cause) {
        CompletableFuture<Connection> future = connecting;
        connecting = null;
        state = State.CLOSED;
        socket.close();
        future.completeExceptionally(cause);
    }

    /** Closes at once; a connect still in progress fails its future instead of calling the handler. */
    @Override
    public void abort() {
        checkLoopThread();
        if (connecting != null) {
            connectFailed(new IOException(loop + " closed the connection before it completed"));
        } else {
            closeNow(null);
        }
    }

    /** The loop shuts down: a graceful close, or a failed future for a connect still in progress. */
    @Override
    public void closeGracefully() {
        if (connecting != null) {
            connectFailed(new IOException(loop + " shut down before the connection completed"));
        } else {
            close();
        }
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return socket.localAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remoteAddress == null) {
            try {
                remoteAddress = socket.remoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remoteAddress;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    @Override
    public ByteBuffer scratchBuffer() {
        checkLoopThread();
        return loop.scratchChunk.buffer.clear();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Activity activity() {
        return activity;
    }

    @Override
    public void activity(Activity activity) {
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    private void checkLoopThread() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("a connection is used only from its loop's thread (" + loop
                    + "); hand work over with connection.execute(...)");
        }
    }

    @Override
    public String toString() {
        return "connection[" + remoteAddress + " on " + loop + ", " + state + "]";
    }
}
