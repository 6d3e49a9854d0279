package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One thread that owns a set of sockets and everything about them: the wait primitive
 * (an epoll fd or a Selector), a task queue, timers and the connections it accepted. State is
 * confined to that thread; {@link #execute}, {@link #schedule} and {@link #shutdown} are the
 * only entry points for other threads, and they enqueue and wake the loop.
 *
 * <p>Each turn: wait for I/O (not at all if tasks or ready work are pending, else until the
 * next timer), handle the events, run due timers, run queued tasks.
 */
public abstract class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    static {
        // Formatting a log record's time loads the time-zone rules from a file on first use; a
        // loop that must report running out of fds could then not, so load them now, and put
        // the spare fd aside while there are fds.
        java.time.ZoneId.systemDefault().getRules();
        SpareFd.reserve();
    }

    final LoopCounters counters;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
    private final AtomicLong timerSequence = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private volatile boolean shuttingDown;
    private volatile boolean stopped;
    private long shutdownDeadlineNanos;
    private boolean shutdownStarted;

    /**
     * A loop whose thread is made now and started by its group.
     *
     * @param name the thread's name
     * @param binding how it calls the kernel, for its stats: {@code jna}, {@code ffm} or {@code jdk}
     */
    protected EventLoop(String name, String binding) {
        this.thread = new Thread(this::run, name);
        this.counters = new LoopCounters(binding);
    }

    final void start() {
        thread.start();
    }

    /** Releases what a loop holds whose thread never started: its group could not start them all. */
    final void releaseUnstarted() {
        stopped = true;
        try {
            closeAll();
        } finally {
            termination.complete(null);
            terminated.countDown();
        }
    }

    /** {@return the transport this loop implements} */
    public abstract Transport transport();

    /** {@return whether the calling thread is this loop's thread} */
    public final boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on this loop's thread, after what is already queued.
     *
     * @param task what to run; a task that throws is logged, and the loop goes on
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    public final void execute(Runnable task) {
        if (stopped) {
            throw new RejectedExecutionException(thread.getName() + " has terminated");
        }
        tasks.add(task);
        // The loop may have run its last tasks between the check above and the add: then take
        // the task back, or it would be accepted and never run. If it is gone, it has run.
        if (stopped && tasks.remove(task)) {
            throw new RejectedExecutionException(thread.getName() + " has terminated");
        }
        if (!inEventLoop() && wakeUpPending.compareAndSet(false, true)) {
            wakeUp();
        }
    }

    /**
     * Runs {@code task} on this loop's thread after {@code delay}.
     *
     * @param task what to run; a task that throws is logged, and the loop goes on
     * @param delay how long from now; 0 or less runs it on the next turn
     * @param unit the unit of {@code delay}
     * @return cancels the task if it has not started
     */
    public final ScheduledTask schedule(Runnable task, long delay, TimeUnit unit) {
        long delayNanos = Math.min(unit.toNanos(Math.max(0, delay)), Long.MAX_VALUE / 4);
        ScheduledTask scheduled = new ScheduledTask(task, System.nanoTime() + delayNanos,
                timerSequence.incrementAndGet());
        if (inEventLoop()) {
            timers.add(scheduled);
        } else {
            execute(() -> timers.add(scheduled));
        }
        return scheduled;
    }

    /**
     * Shuts down gracefully: listeners close at once, connections close after their queued
     * output is flushed, and whatever is still open after {@code grace} is aborted. Returns at
     * once; see {@link #awaitTermination} and {@link #terminationFuture()}.
     *
     * @param grace how long connections may take to flush and close before they are aborted
     */
    public final void shutdown(Duration grace) {
        if (stopped || shuttingDown) {
            return;
        }
        shuttingDown = true;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            execute(() -> {
                shutdownDeadlineNanos = deadline;
                shutdownStarted = true;
                closeGracefully();
            });
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // The loop ended on its own (an unexpected error) after the check above: nothing to shut down.
        }
    }

    /**
     * Stops accepting: listeners take the connections already queued and close; the loop and its
     * connections carry on. Returns at once.
     *
     * @return completes once this loop's listeners are closed
     */
    public final CompletableFuture<Void> stopAccepting() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    closeListeners();
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException terminated) {
            done.complete(null);
        }
        return done;
    }

    /** {@return whether {@link #shutdown} was called} */
    public final boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Waits until the loop's thread has ended and its resources are released.
     *
     * @param timeout how long to wait at most
     * @return whether the loop terminated within {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return completes when the loop's thread has ended and its resources are released} */
    public final CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /** {@return this loop's counters as of now (read from any thread; may lag by a few events)} */
    public LoopStats stats() {
        return counters.snapshot();
    }

    /**
     * Opens a listener on this loop: its accepted connections live here, each served by a
     * new handler from {@code handlers}. The bind fails with EADDRINUSE when the port is taken,
     * unless every socket on it, this one included, asks for {@link SocketOptions#reusePort()}.
     *
     * @param address the address to bind; port 0 lets the kernel choose
     * @param options the listener's and its connections' socket options
     * @param handlers makes one handler per accepted connection
     * @return the bound address (with the kernel's port when {@code address} asked for 0)
     */
    public final CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers) {
        return listen(address, options, handlers, false);
    }

    /**
     * {@link #listen(InetSocketAddress, SocketOptions, Supplier)}; with {@code openToSiblings}
     * the socket, bound without SO_REUSEPORT (unless the options ask for it), turns it on once
     * bound, so that the other loops of its group can bind theirs beside it: see
     * {@link EventLoopGroup#listen}.
     */
    abstract CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, boolean openToSiblings);

    /**
     * Opens a listener on a Unix domain socket file on this loop; see
     * {@link EventLoopGroup#listen(UnixDomainSocketAddress, Set, SocketOptions, Supplier)} for
     * what happens to a file already at the path and to the file when the loop closes it.
     *
     * @param address the socket file's path
     * @param permissions the socket file's permissions, or null to leave them to the umask
     * @param options the connections' socket options (TCP's do not apply) and the backlog
     * @param handlers makes one handler per accepted connection
     * @return {@code address}, once bound
     * @throws IllegalArgumentException when the path is too long for a socket address
     */
    public final CompletableFuture<UnixDomainSocketAddress> listen(UnixDomainSocketAddress address,
            Set<PosixFilePermission> permissions, SocketOptions options, Supplier<? extends Handler> handlers) {
        return listen(new UnixSocketFile(address, permissions), options, handlers, () -> this)
                .thenApply(bound -> address);
    }

    /**
     * Listens on {@code file} here; each accepted connection goes to the loop {@code placement}
     * names (this one, or the next of its group, which then owns it).
     */
    abstract CompletableFuture<Void> listen(UnixSocketFile file, SocketOptions options,
            Supplier<? extends Handler> handlers, Supplier<? extends EventLoop> placement);

    /**
     * Connects to {@code address}; the connection lives on this loop and {@code handler} serves it.
     * A Unix socket's connect completes at once or fails: with EAGAIN (epoll) or
     * "Resource temporarily unavailable" (NIO, blocking) when its listener's backlog is full.
     *
     * @param address where to connect: an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @param options the connection's socket options
     * @param handler serves the connection once it is open
     * @return completes with the open connection, or with why it could not be made
     */
    public abstract CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options,
            Handler handler);

    /** {@code address} as a TCP address; anything but it and a {@link UnixDomainSocketAddress} is refused. */
    static InetSocketAddress inet(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new IllegalArgumentException("jepoll connects to an InetSocketAddress or a UnixDomainSocketAddress, not "
                + address.getClass().getName() + ": " + address);
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    /**
     * Waits for I/O and handles the ready events.
     *
     * @param timeoutMillis how long to wait at most: 0 not at all, -1 until woken
     * @throws Exception when the wait itself fails; the loop then stops and closes everything
     */
    protected abstract void poll(int timeoutMillis) throws Exception;

    /** Makes a blocked {@link #poll} return; called from other threads, at most once per turn. */
    protected abstract void wakeUp();

    /** {@return whether the loop has work of its own for the next turn, so that it must not block} */
    protected boolean hasReadyWork() {
        return false;
    }

    /** Runs work the loop deferred to the end of the turn (e.g. connections over their read budget). */
    protected void runReadyWork() {
    }

    /** Closes the listeners (see {@link #stopAccepting}); connections carry on. */
    protected abstract void closeListeners();

    /** Closes listeners and starts a graceful close of every connection. */
    protected abstract void closeGracefully();

    /** {@return how many sockets (listeners and connections) are still open} */
    protected abstract int openChannels();

    /** Closes every socket at once and releases the loop's own resources. */
    protected abstract void closeAll();

    /** Logs, and never throws: a loop must outlive a failing log handler (e.g. out of fds). */
    static void log(System.Logger.Level level, String message, Throwable error) {
        try {
            LOG.log(level, message, error);
        } catch (Throwable ignored) {
            // Nothing better to do with a log record that cannot be written.
        }
    }

    /** Logs a {@link java.text.MessageFormat} pattern, and never throws. */
    static void log(System.Logger.Level level, String format, Object... params) {
        try {
            LOG.log(level, format, params);
        } catch (Throwable ignored) {
            // Nothing better to do with a log record that cannot be written.
        }
    }

    private void run() {
        try {
            while (!shouldStop()) {
                poll(nextTimeoutMillis());
                wakeUpPending.set(false);
                runTimers();
                runTasks();
                runReadyWork();
            }
        } catch (Throwable t) {
            log(System.Logger.Level.ERROR, thread.getName() + " stopped by an unexpected error", t);
        } finally {
            stopped = true;
            try {
                closeAll();
            } catch (Throwable t) {
                log(System.Logger.Level.ERROR, thread.getName() + " could not release everything", t);
            }
            runTasks();
            termination.complete(null);
            terminated.countDown();
        }
    }

    private boolean shouldStop() {
        if (!shutdownStarted) {
            return false;
        }
        return openChannels() == 0 || System.nanoTime() - shutdownDeadlineNanos >= 0;
    }

    private int nextTimeoutMillis() {
        if (!tasks.isEmpty() || hasReadyWork()) {
            return 0;
        }
        long deadline;
        ScheduledTask next = timers.peek();
        if (next != null && shutdownStarted) {
            deadline = next.deadlineNanos - shutdownDeadlineNanos < 0 ? next.deadlineNanos : shutdownDeadlineNanos;
        } else if (next != null) {
            deadline = next.deadlineNanos;
        } else if (shutdownStarted) {
            deadline = shutdownDeadlineNanos;
        } else {
            return -1;
        }
        long waitNanos = deadline - System.nanoTime();
        if (waitNanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    }

    private void runTimers() {
        long now = System.nanoTime();
        ScheduledTask next;
        while ((next = timers.peek()) != null && next.deadlineNanos - now <= 0) {
            timers.poll();
            Runnable task = next.task();
            if (task != null) {
                runSafely(task);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runSafely(task);
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log(System.Logger.Level.WARNING, "a task on " + thread.getName() + " failed", t);
        }
    }
}
