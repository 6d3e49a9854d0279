package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The baseline: a thread per connection doing blocking reads and writes (virtual threads on
 * JDK 21+), plus a thread per listener blocked in accept. The loop's own thread only runs
 * tasks and timers. Each connection meets the ownership rule itself (see
 * {@link BlockingConnection}): its callbacks and tasks take turns under its lock.
 */
final class BlockingLoop extends EventLoop {

    private final LoopConfig config;
    private final Semaphore wakeUps = new Semaphore(0);
    /** Each listener, and what closing it leaves to do: remove a Unix socket's file. */
    private final Map<ServerSocketChannel, Runnable> listeners = new ConcurrentHashMap<>();
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private final LoopCounters retired = new LoopCounters(LoopStats.JDK_BINDING);
    private final Set<Thread> acceptors = ConcurrentHashMap.newKeySet();
    private final ThreadStarter threads;

    /** How a connection's thread is started: {@link ConnectionThreads#start}, or a test's stand-in. */
    interface ThreadStarter {
        void start(String name, Runnable body);
    }

    BlockingLoop(String name, LoopConfig config) {
        this(name, config, ConnectionThreads::start);
    }

    BlockingLoop(String name, LoopConfig config, ThreadStarter threads) {
        super(name, LoopStats.JDK_BINDING);
        this.config = config;
        this.threads = threads;
    }

    @Override
    public Transport transport() {
        return Transport.BLOCKING;
    }

    LoopConfig config() {
        return config;
    }

    @Override
    protected void poll(int timeoutMillis) throws InterruptedException {
        counters.count(Call.WAIT);
        if (timeoutMillis != 0) {
            wakeUps.tryAcquire(timeoutMillis < 0 ? Long.MAX_VALUE : timeoutMillis, TimeUnit.MILLISECONDS);
        }
        wakeUps.drainPermits();
        counters.wakeUps++;
    }

    @Override
    protected void wakeUp() {
        wakeUps.release();
    }

    /**
     * Sums the loop's, the closed connections' and the open connections' counters. Under the
     * lock that {@link #closed} moves a connection's counters with, so that a connection closing
     * meanwhile is counted once, not in neither sum or in both.
     */
    @Override
    public LoopStats stats() {
        LoopStats sum = counters.snapshot();
        synchronized (retired) {
            sum = sum.plus(retired.snapshot());
            for (BlockingConnection connection : connections) {
                sum = sum.plus(connection.stats());
            }
        }
        return sum;
    }

    void opened(BlockingConnection connection) {
        connections.add(connection);
    }

    void closed(BlockingConnection connection, LoopStats stats) {
        synchronized (retired) {
            connections.remove(connection);
            for (Call call : Call.values()) {
                retired.calls[call.ordinal()] += stats.calls(call);
            }
            retired.bytesRead += stats.bytesRead();
            retired.bytesWritten += stats.bytesWritten();
            retired.connectionsOpened += stats.connectionsOpened();
            retired.connectionsClosed += stats.connectionsClosed();
        }
        if (isShuttingDown()) {
            wakeUp();
        }
    }

    @Override
    CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, boolean openToSiblings) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ServerSocketChannel channel = null;
        try {
            channel = SelectorLoop.openListener(address, options, openToSiblings);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            startAccepting(channel, options, handlers, () -> { }, null, () -> this);
            bound.complete(local);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                listeners.remove(channel);
                SelectorLoop.closeQuietly(channel);
            }
            bound.completeExceptionally(e);
        }
        return bound;
    }

    @Override
    CompletableFuture<Void> listen(UnixSocketFile file, SocketOptions options, Supplier<? extends Handler> handlers,
            Supplier<? extends EventLoop> placement) {
        CompletableFuture<Void> bound = new CompletableFuture<>();
        ServerSocketChannel channel = null;
        try {
            channel = SelectorLoop.openUnixListener(file, options);
            startAccepting(channel, options, handlers, file::release, file.address(), placement);
            bound.complete(null);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                listeners.remove(channel);
                SelectorLoop.closeQuietly(channel);
            }
            file.release();
            bound.completeExceptionally(e);
        }
        return bound;
    }

    private void startAccepting(ServerSocketChannel channel, SocketOptions options, Supplier<? extends Handler> handlers,
            Runnable afterClose, SocketAddress listenerAddress, Supplier<? extends EventLoop> placement) {
        listeners.put(channel, afterClose);
        Thread acceptor = new Thread(() -> accept(channel, options, handlers, listenerAddress, placement),
                this + "-accept");
        acceptor.setDaemon(true);
        acceptors.add(acceptor);
        acceptor.start();
    }

    private void accept(ServerSocketChannel listener, SocketOptions options, Supplier<? extends Handler> handlers,
            SocketAddress listenerAddress, Supplier<? extends EventLoop> placement) {
        LoopCounters acceptCounts = new LoopCounters(LoopStats.JDK_BINDING);
        AcceptPause pause = new AcceptPause(toString());
        AcceptPause noThreads = new AcceptPause(toString());
        while (listener.isOpen()) {
            SocketChannel accepted;
            try {
                acceptCounts.count(Call.ACCEPT);
                accepted = listener.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                // The sleep happens here, not while the spare fd is out: that is shared by every loop.
                pause.acceptFailed(e::getMessage, () -> { });
                sleep(AcceptPause.MILLIS);
                continue;
            }
            if (isShuttingDown()) {
                SelectorLoop.closeQuietly(accepted);
                break;
            }
            BlockingLoop target = (BlockingLoop) placement.get();
            if (target.isShuttingDown()) {
                SelectorLoop.closeQuietly(accepted);
                continue;
            }
            BlockingConnection connection;
            try {
                connection = new BlockingConnection(target, accepted, handlers.get(), listenerAddress);
            } catch (RuntimeException | Error e) {
                // As on the other transports, a handler factory that throws costs this connection only.
                EventLoop.log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + target, e);
                SelectorLoop.closeQuietly(accepted);
                continue;
            }
            try {
                target.threads.start(target + "-conn", () -> connection.run(options, null, null));
            } catch (OutOfMemoryError | RuntimeException e) {
                // "unable to create native thread": a process or container limit. This connection
                // goes; accepting goes on after a pause, as when out of fds.
                SelectorLoop.closeQuietly(accepted);
                noThreads.acceptFailed(() -> "no thread for the accepted connection: " + e, () -> { });
                sleep(AcceptPause.MILLIS);
            }
        }
        synchronized (retired) {
            retired.calls[Call.ACCEPT.ordinal()] += acceptCounts.calls[Call.ACCEPT.ordinal()];
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        SocketChannel channel = null;
        try {
            channel = SelectorLoop.openFor(address);
            BlockingConnection connection = new BlockingConnection(this, channel, handler, null);
            threads.start(this + "-conn", () -> connection.run(options, address, connected));
        } catch (IOException | OutOfMemoryError | RuntimeException e) {
            SelectorLoop.closeQuietly(channel);
            connected.completeExceptionally(e);
        }
        return connected;
    }

    @Override
    protected void closeGracefully() {
        closeListeners();
        connections.forEach(BlockingConnection::close);
    }

    @Override
    protected int openChannels() {
        return listeners.size() + connections.size();
    }

    /** Also waits (bounded) for the acceptor threads: closing a listener blocked in accept takes effect late. */
    @Override
    protected void closeAll() {
        closeListeners();
        connections.forEach(BlockingConnection::abort);
        for (Thread acceptor : acceptors) {
            try {
                acceptor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Closes at once: the acceptor threads are blocked in accept and cannot be asked to take what
     * is queued first, so a connection in the accept queue at that moment is reset.
     */
    @Override
    protected void closeListeners() {
        for (ServerSocketChannel listener : listeners.keySet()) {
            SelectorLoop.closeQuietly(listener);
            Runnable afterClose = listeners.remove(listener);
            if (afterClose != null) {
                afterClose.run();
            }
        }
    }
}
