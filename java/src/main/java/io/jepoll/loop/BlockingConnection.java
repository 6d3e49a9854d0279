package io.jepoll.loop;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import io.jepoll.net.SocketOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection of the {@link BlockingLoop}: its own thread reads; writes block until the
 * socket takes every byte, which is this transport's back-pressure.
 *
 * <p>It meets the ownership rule of {@link Connection} itself: protocol code (the handler's
 * callbacks on the connection's thread, and its tasks) runs only while holding {@link #owner},
 * one at a time, so a handler needs no volatile fields. A {@link ReentrantLock}, not
 * {@code synchronized}, which would pin a virtual thread while it blocks. Tasks are queued and
 * run by whichever of the loop's thread and the connection's thread finds the lock free; the
 * loop's thread only ever tries it, so one connection never holds up another's timers.
 *
 * <p>A blocked write lets go of the lock while the socket takes the bytes, so that the
 * connection's timers still run and can abort a peer that never reads; another write waits for
 * it to finish, and a close waits for the callback that wrote. A file is sent the same way.
 */
final class BlockingConnection implements Connection {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final BlockingLoop loop;
    private final SocketChannel channel;
    private final Handler handler;
    private final LoopCounters counters = new LoopCounters(LoopStats.JDK_BINDING);
    private final UnconsumedInput unconsumed;
    private final ReentrantLock owner = new ReentrantLock();
    private final Condition writeDone = owner.newCondition();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The connection's thread while it waits for reads to resume: see {@link #awaitReadable}. */
    private volatile Thread waiting;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** An outbound connection's thread has yet to finish its connect and set the socket up. */
    private volatile boolean connecting;
    private boolean suspended;
    private boolean outputShutdown;
    private boolean inputShutdown;
    /** A callback runs on the connection's thread, maybe blocked in a write. */
    private boolean inCallback;
    private boolean writing;
    /** Asked to close while a callback or a write was in progress: closes when it ends. */
    private boolean closeRequested;
    /** Output shut down by a graceful close: what the peer still sends is read and dropped. */
    private boolean lingering;
    private Cancellable lingerTimer;
    /** What the write in progress has still to send: this transport's queued output. */
    private volatile long pendingWrite;
    /** A file send is under way: see {@link #closeNow}. */
    private volatile boolean sendingFile;
    /** Lent to a file send when the socket would not block in transferTo; see {@link #sendFileOnce}. */
    private ByteBuffer fileThrough;
    private boolean redeliver;
    private Object attachment;
    private volatile Activity activity = Activity.AWAITING_REQUEST;
    private ByteBuffer scratch;
    private volatile SocketAddress remoteAddress;
    private final SocketAddress listenerAddress;

    /** @param listenerAddress the address of the Unix socket listener that accepted it, else null */
    BlockingConnection(BlockingLoop loop, SocketChannel channel, Handler handler, SocketAddress listenerAddress) {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.listenerAddress = listenerAddress;
        this.unconsumed = new UnconsumedInput(loop.config().maxInputBuffer());
    }

    /** Read without the lock, which protocol code may hold; it may lag a little. */
    LoopStats stats() {
        return counters.snapshot();
    }

    /** The connection's thread: connects if asked to, then reads until the end. */
    void run(SocketOptions options, SocketAddress connectTo, CompletableFuture<Connection> connected) {
        connecting = connectTo != null;
        loop.opened(this);
        try {
            if (connectTo != null) {
                counters.count(Call.CONNECT);
                channel.connect(connectTo);
                remoteAddress = connectTo;
            }
            NioSocket.applyOptions(channel, options);
        } catch (IOException e) {
            closed.set(true);
            SelectorLoop.closeQuietly(channel);
            loop.closed(this, counters.snapshot());
            if (connected != null) {
                connected.completeExceptionally(SelectorLoop.named(e, connectTo));
            }
            return;
        }
        connecting = false;
        callback(() -> {
            counters.connectionsOpened++;
            handler.onOpen(this);
        });
        if (connected != null) {
            connected.complete(this);
        }
        readUntilEnd();
    }

    private void readUntilEnd() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(loop.config().readBufferSize());
        try {
            while (awaitReadable()) {
                if (redeliver) {
                    redeliver = false;
                    callback(() -> deliver(NOTHING));
                    continue;
                }
                buffer.clear();
                int n = channel.read(buffer);
                counters.count(Call.READ);
                if (n < 0) {
                    endOfInput();
                    return;
                }
                counters.bytesRead += n;
                callback(() -> {
                    if (!lingering) {
                        deliver(buffer.flip());
                    }
                });
            }
        } catch (ClosedChannelException e) {
            closeNow(null);
        } catch (Throwable t) {
            closeNow(t);
        }
    }

    private void endOfInput() {
        owner.lock();
        try {
            inputShutdown = true;
            if (lingering) {
                closeNow(null);
                return;
            }
        } finally {
            owner.unlock();
        }
        callback(() -> handler.onInputShutdown(this));
    }

    /**
     * Runs one callback as the owner, unless the connection closed meanwhile: onClose was the
     * handler's last callback (a timer may abort the connection between this thread's read and
     * its callback, and the input the handler left is gone then). A close asked for meanwhile
     * happens after it, and the tasks that came while it ran follow it.
     */
    private void callback(IoAction action) {
        owner.lock();
        try {
            if (!closed.get()) {
                inCallback = true;
                action.run();
            }
        } catch (Throwable t) {
            closeNow(t);
        } finally {
            inCallback = false;
            closeIfRequested();
            owner.unlock();
        }
        runTasks();
    }

    /** A callback body: may fail with an I/O error (unconsumed input over its limit). */
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Waits while reads are suspended; false once the connection is closed or the input ended.
     * After a wait, input the handler left unconsumed is offered again before anything new is read.
     *
     * <p>It waits without the lock, parked, not on a condition of the lock: a task queued while
     * this thread held the lock found it taken, and a condition's wait would let go of the lock
     * without running that task, which may be the very one that resumes reads (a TLS handshake's
     * delegated task). So the thread runs the queued tasks after letting go, and
     * {@link #wake} unparks it for every task queued and every resume or close.
     */
    private boolean awaitReadable() throws InterruptedException {
        boolean waited = false;
        for (;;) {
            owner.lock();
            try {
                if (!suspended || lingering || closed.get()) {
                    if (waited) {
                        redeliver = !unconsumed.isEmpty();
                    }
                    return !closed.get() && !inputShutdown;
                }
                waiting = Thread.currentThread();
            } finally {
                owner.unlock();
            }
            runTasks();
            LockSupport.park(this);
            waiting = null;
            waited = true;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Wakes the connection's thread if it waits in {@link #awaitReadable}; see there. */
    private void wake() {
        Thread thread = waiting;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void deliver(ByteBuffer fresh) throws IOException {
        ByteBuffer in = unconsumed.prepend(fresh);
        handler.onData(this, in);
        if (!closed.get()) {
            unconsumed.keep(in);
        }
    }

    @Override
    public boolean write(ByteBuffer src) {
        return send(src, null, 0, src.remaining()) >= 0;
    }

    @Override
    public SendableFile openFile(Path path) throws IOException {
        return ChannelFile.open(path);
    }

    @Override
    public long sendFile(SendableFile file, long position, long count) {
        SocketConnection.checkRegion(file, position, count);
        ChannelFile.channelOf(file);
        if (count == 0) {
            return 0;
        }
        sendingFile = true;
        try {
            return Math.max(0, send(null, file, position, count));
        } finally {
            sendingFile = false;
        }
    }

    /**
     * One transferTo. On a virtual thread (JDK 21+) the channel's socket is non-blocking
     * underneath, and transferTo answers 0 where it would block; then a piece of the file goes
     * through a small buffer in a write, which parks the thread until the socket takes it.
     */
    private long sendFileOnce(SendableFile file, long position, long count) throws IOException {
        long n = NioSocket.transfer(file, position, count, channel, counters);
        if (n > 0) {
            return n;
        }
        if (fileThrough == null) {
            fileThrough = ByteBuffer.allocate(16 * 1024);
        }
        fileThrough.clear().limit((int) Math.min(fileThrough.capacity(), count));
        if (file.read(fileThrough, position) <= 0) {
            throw new EOFException(file + " ends before position " + position);
        }
        fileThrough.flip();
        long written = 0;
        while (fileThrough.hasRemaining()) {
            counters.count(Call.WRITE);
            written += channel.write(fileThrough);
        }
        return written;
    }

    /**
     * Sends {@code src}'s remaining bytes, or else {@code bytes} of {@code file} from
     * {@code position}, until the socket has taken them all, after the write in progress and
     * without holding the lock meanwhile. Plain arguments rather than a callback: a write on this
     * transport allocates nothing.
     *
     * @return bytes sent, or -1 when nothing could be sent (a refused buffer is consumed all the
     *     same) or the send failed (the connection is then closed)
     */
    private long send(ByteBuffer src, SendableFile file, long position, long bytes) {
        owner.lock();
        try {
            while (writing && !closed.get()) {
                writeDone.awaitUninterruptibly();
            }
            if (closed.get() || outputShutdown) {
                if (src != null) {
                    src.position(src.limit());
                }
                return -1;
            }
            writing = true;
            IOException failure = sendReleasingOwner(src, file, position, bytes);
            writing = false;
            writeDone.signalAll();
            if (failure != null) {
                closeNow(failure);
                return -1;
            }
            if (!inCallback) {
                closeIfRequested();
            }
            return bytes;
        } finally {
            owner.unlock();
        }
    }

    /** The blocking send, with every hold of the lock given up meanwhile and taken back after. */
    private IOException sendReleasingOwner(ByteBuffer src, SendableFile file, long position, long bytes) {
        int holds = owner.getHoldCount();
        for (int i = 0; i < holds; i++) {
            owner.unlock();
        }
        try {
            pendingWrite = bytes;
            long sent = 0;
            while (sent < bytes) {
                if (closed.get()) {
                    return new ClosedChannelException();
                }
                long n;
                if (src != null) {
                    counters.count(Call.WRITE);
                    n = NioSocket.writeBounded(channel, src, loop.config().readBufferSize());
                } else {
                    n = sendFileOnce(file, position + sent, bytes - sent);
                }
                counters.bytesWritten += n;
                sent += n;
                pendingWrite = bytes - sent;
            }
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            pendingWrite = 0;
            for (int i = 0; i < holds; i++) {
                owner.lock();
            }
        }
    }

    /** Nothing is ever queued: {@link #write} returns when the socket has taken every byte. */
    @Override
    public void flush() {
    }

    /** A write returns once the socket has taken everything: the output is drained whenever protocol code runs. */
    @Override
    public void notifyWhenDrained() {
        execute(() -> {
            if (closed.get()) {
                return;
            }
            try {
                handler.onWritable(this);
            } catch (Throwable t) {
                closeNow(t);
            }
        });
    }

    /** What a write blocked in another thread has still to send, so that timers see it drain. */
    @Override
    public long pendingOutputBytes() {
        return pendingWrite;
    }

    /**
     * Closes gracefully once no callback and no write is in progress: a write blocked in
     * progress is this transport's queued output, and it finishes first (or the shutdown grace
     * cuts it). Only tries the lock: a loop shutting down never waits for protocol code.
     */
    @Override
    public void close() {
        if (owner.tryLock()) {
            try {
                closeRequested = true;
                closeIfRequested();
            } finally {
                owner.unlock();
            }
        } else {
            execute(this::close);
        }
    }

    private void closeIfRequested() {
        if (closeRequested && !inCallback && !writing) {
            closeRequested = false;
            closeGracefully();
        }
    }

    /**
     * Closing now while the peer is still sending would make the kernel answer with a reset,
     * which drops what the peer has not read yet. So unless the peer already shut down, send
     * FIN, read and drop its input until it closes too, for at most
     * {@link SocketConnection#LINGER_MILLIS}, and close then.
     */
    private void closeGracefully() {
        if (closed.get() || lingering || endConnect()) {
            return;
        }
        if (inputShutdown) {
            closeNow(null);
            return;
        }
        lingering = true;
        unconsumed.clear();
        if (!outputShutdown) {
            outputShutdown = true;
            try {
                counters.count(Call.SHUTDOWN);
                channel.shutdownOutput();
            } catch (IOException e) {
                closeNow(null);
                return;
            }
        }
        lingerTimer = loop.schedule(this::abort, SocketConnection.LINGER_MILLIS, TimeUnit.MILLISECONDS);
        wake();
    }

    @Override
    public void abort() {
        if (!endConnect()) {
            closeNow(null);
        }
    }

    /**
     * A connect still under way has nothing to flush and no handler to tell: closing the channel
     * ends it, and the connection's thread then fails the connect's future and retires the
     * connection, as for any failed connect.
     *
     * @return whether a connect was under way
     */
    private boolean endConnect() {
        if (!connecting) {
            return false;
        }
        SelectorLoop.closeQuietly(channel);
        return true;
    }

    @Override
    public void shutdownOutput() {
        owner.lock();
        try {
            if (closed.get() || outputShutdown) {
                return;
            }
            outputShutdown = true;
            counters.count(Call.SHUTDOWN);
            channel.shutdownOutput();
            if (inputShutdown) {
                closeNow(null);
            }
        } catch (IOException e) {
            closeNow(e);
        } finally {
            owner.unlock();
        }
    }

    @Override
    public void suspendReads() {
        owner.lock();
        try {
            suspended = true;
        } finally {
            owner.unlock();
        }
    }

    @Override
    public void resumeReads() {
        owner.lock();
        try {
            if (suspended) {
                // Resumed before the reading thread waited (a task right after the callback): it offers the input anyway.
                redeliver = !unconsumed.isEmpty();
            }
            suspended = false;
            wake();
        } finally {
            owner.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the socket first, without the lock: only closing the socket releases a thread
     * blocked in a read or write. Then tells the handler, once, as the owner.
     */
    private void closeNow(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (sendingFile) {
            // JDK 17's transferTo does not tell the socket channel which thread it blocks, so
            // closing the channel would leave that thread blocked; a shutdown wakes it.
            try {
                channel.shutdownOutput();
            } catch (IOException alreadyGone) {
                // Then there is no send left to wake.
            }
        }
        SelectorLoop.closeQuietly(channel);
        owner.lock();
        try {
            counters.count(Call.CLOSE);
            counters.connectionsClosed++;
            unconsumed.clear();
            if (lingerTimer != null) {
                // Else the timer would hold this connection (and its buffers) for the rest of the linger.
                lingerTimer.cancel();
            }
            wake();
            writeDone.signalAll();
            handler.onClose(this, cause);
        } catch (Throwable t) {
            EventLoop.log(System.Logger.Level.WARNING, "onClose of a connection on " + loop + " failed", t);
        } finally {
            owner.unlock();
        }
        loop.closed(this, stats());
    }

    /** Runs {@code task} as the owner, after the callback in progress if there is one. */
    @Override
    public void execute(Runnable task) {
        queue(task);
        loop.execute(this::runTasks);
    }

    /** Queues a task and wakes the connection's thread if it waits, which then runs it: see {@link #awaitReadable}. */
    private void queue(Runnable task) {
        tasks.add(task);
        wake();
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Delayed delayed = new Delayed(task);
        delayed.timer = loop.schedule(() -> {
            queue(delayed);
            runTasks();
        }, delay, unit);
        return delayed;
    }

    /**
     * Runs the queued tasks if no protocol code runs now. Whoever holds the lock checks again
     * after letting go of it, so a task queued meanwhile is never left behind.
     */
    private void runTasks() {
        while (!tasks.isEmpty() && !owner.isHeldByCurrentThread() && owner.tryLock()) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    try {
                        task.run();
                    } catch (Throwable t) {
                        EventLoop.log(System.Logger.Level.WARNING, "a task of a connection on " + loop + " failed", t);
                    }
                }
                closeIfRequested();
            } finally {
                owner.unlock();
            }
        }
    }

    /** A task run after a delay; cancelled, it does not run even if its time has come. */
    private static final class Delayed implements Runnable, Cancellable {
        private final Runnable task;
        private volatile boolean cancelled;
        private Cancellable timer;

        Delayed(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!cancelled) {
                task.run();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            timer.cancel();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** Each connection has a thread of its own here, so the buffer is the connection's. */
    @Override
    public ByteBuffer scratchBuffer() {
        owner.lock();
        try {
            while (writing && !closed.get()) {
                writeDone.awaitUninterruptibly();
            }
            if (scratch == null) {
                scratch = ByteBuffer.allocateDirect(loop.config().readBufferSize());
            }
            return scratch.clear();
        } finally {
            owner.unlock();
        }
    }

    /** Counted by the connection's thread; from a task or another thread it may lag by the read or write under way. */
    @Override
    public long bytesRead() {
        return counters.bytesRead;
    }

    @Override
    public long bytesWritten() {
        return counters.bytesWritten;
    }

    @Override
    public Activity activity() {
        return activity;
    }

    @Override
    public void activity(Activity activity) {
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    /** An accepted Unix socket's is its listener's: the JDK would name the private path a listener with permissions was bound at. */
    @Override
    public SocketAddress localAddress() {
        if (listenerAddress != null) {
            return listenerAddress;
        }
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remoteAddress == null) {
            try {
                remoteAddress = channel.getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remoteAddress;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }
}
