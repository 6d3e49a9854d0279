package io.jepoll.loop;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection of the {@link BlockingLoop}: its own thread reads; writes block until the
 * socket takes every byte, which is this transport's back-pressure. A {@link ReentrantLock}
 * (not {@code synchronized}, which would pin a virtual thread while it blocks) serializes the
 * handler's callbacks with calls from other threads.
 */
final class BlockingConnection implements Connection {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final BlockingLoop loop;
    private final SocketChannel channel;
    private final Handler handler;
    private final LoopCounters counters = new LoopCounters();
    private final UnconsumedInput unconsumed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean suspended;
    private boolean outputShutdown;
    private boolean inputShutdown;
    private volatile boolean closeRequested;
    /** What the write in progress has still to send: this transport's queued output. */
    private volatile long writing;
    private boolean redeliver;
    private volatile Object attachment;
    private volatile Activity activity = Activity.AWAITING_REQUEST;
    private ByteBuffer scratch;
    private volatile InetSocketAddress remoteAddress;

    BlockingConnection(BlockingLoop loop, SocketChannel channel, Handler handler) {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.unconsumed = new UnconsumedInput(loop.config().maxInputBuffer());
    }

    /** Read without the lock, which a blocked write may hold for long; it may lag a little. */
    LoopStats stats() {
        return counters.snapshot();
    }

    /** The connection's thread: connects if asked to, then reads until the end. */
    void run(SocketOptions options, InetSocketAddress connectTo, CompletableFuture<Connection> connected) {
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
                connected.completeExceptionally(e);
            }
            return;
        }
        lock.lock();
        try {
            counters.connectionsOpened++;
            handler.onOpen(this);
        } catch (Throwable t) {
            closeNow(t);
        } finally {
            lock.unlock();
        }
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
                    lock.lock();
                    try {
                        deliver(NOTHING);
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                buffer.clear();
                int n = channel.read(buffer);
                lock.lock();
                try {
                    counters.count(Call.READ);
                    if (n < 0) {
                        inputShutdown = true;
                        handler.onInputShutdown(this);
                        return;
                    }
                    counters.bytesRead += n;
                    deliver(buffer.flip());
                } finally {
                    lock.unlock();
                }
            }
        } catch (ClosedChannelException e) {
            closeNow(null);
        } catch (Throwable t) {
            closeNow(t);
        }
    }

    /**
     * Waits while reads are suspended; false once the connection is closed. After a wait,
     * input the handler left unconsumed is offered again before anything new is read.
     */
    private boolean awaitReadable() throws InterruptedException {
        lock.lock();
        try {
            while (suspended && !closed.get()) {
                resumed.await();
                redeliver = !unconsumed.isEmpty();
            }
            if (closeRequested) {
                closeNow(null);
            }
            return !closed.get() && !inputShutdown;
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            if (closed.get() || outputShutdown) {
                src.position(src.limit());
                return false;
            }
            int most = loop.config().readBufferSize();
            writing = src.remaining();
            while (src.hasRemaining()) {
                counters.count(Call.WRITE);
                counters.bytesWritten += NioSocket.writeBounded(channel, src, most);
                writing = src.remaining();
            }
            // A close that waited for this write happens now, unless the write is inside a
            // callback, which may have more of its answer to write: awaitReadable closes after it.
            if (closeRequested && lock.getHoldCount() == 1) {
                closeNow(null);
            }
            return true;
        } catch (IOException e) {
            closeNow(e);
            return false;
        } finally {
            writing = 0;
            lock.unlock();
        }
    }

    /** Nothing is ever queued: {@link #write} returns when the socket has taken every byte. */
    @Override
    public void flush() {
    }

    /** What a write blocked in another thread has still to send, so that timers see it drain. */
    @Override
    public long pendingOutputBytes() {
        return writing;
    }

    /**
     * Closes once no write is in progress: a write blocked in another thread is this
     * transport's queued output, and it finishes first (or the shutdown grace cuts it).
     */
    @Override
    public void close() {
        closeRequested = true;
        if (lock.tryLock()) {
            try {
                closeNow(null);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void abort() {
        closeNow(null);
    }

    @Override
    public void shutdownOutput() {
        lock.lock();
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
            lock.unlock();
        }
    }

    @Override
    public void suspendReads() {
        lock.lock();
        try {
            suspended = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resumeReads() {
        lock.lock();
        try {
            suspended = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the socket first, without the lock: a thread blocked in a write holds the lock,
     * and only closing the socket releases it. Then tells the handler, once.
     */
    private void closeNow(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        SelectorLoop.closeQuietly(channel);
        lock.lock();
        try {
            counters.count(Call.CLOSE);
            counters.connectionsClosed++;
            unconsumed.clear();
            resumed.signalAll();
            handler.onClose(this, cause);
        } catch (Throwable t) {
            EventLoop.log(System.Logger.Level.WARNING, "onClose of a connection on " + loop + " failed", t);
        } finally {
            lock.unlock();
        }
        loop.closed(this, stats());
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remoteAddress == null) {
            try {
                remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remoteAddress;
    }

    /**
     * On the loop's thread, beside the connection's own; a task that must not overlap a
     * callback takes care of it (see the class comment).
     */
    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    /** Each connection has a thread of its own here, so the buffer is the connection's. */
    @Override
    public ByteBuffer scratchBuffer() {
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(loop.config().readBufferSize());
        }
        return scratch.clear();
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
}
