package io.jepoll.loop;

import io.jepoll.loop.BufferPool.Chunk;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A loop on a {@link Poller} (epoll or a Selector): each turn, the poller reports ready sockets
 * and the loop hands each its {@link Readiness}. Its connections share one read buffer, one
 * scratch buffer lent to protocols, a pool of output chunks, and a ready list of connections to
 * read again at the end of the turn.
 */
abstract class ReadinessLoop extends EventLoop {

    final LoopConfig config;
    final BufferPool pool;
    final Chunk readChunk;
    /** Lent to protocols during a callback ({@link io.jepoll.net.Connection#scratchBuffer()}). */
    final Chunk scratchChunk;
    final boolean edgeTriggered;
    private final ArrayDeque<SocketConnection> ready = new ArrayDeque<>();
    private final Poller.Sink dispatch = this::dispatch;

    ReadinessLoop(String name, String binding, LoopConfig config, boolean edgeTriggered, boolean needAddresses) {
        super(name, binding);
        this.config = config;
        this.edgeTriggered = edgeTriggered;
        this.pool = new BufferPool(config.readBufferSize(), 64, needAddresses);
        this.readChunk = pool.take();
        this.scratchChunk = pool.take();
    }

    /** The subclass's poller, created by its constructor; each subclass knows its own kind. */
    abstract Poller poller();

    @Override
    protected final void poll(int timeoutMillis) throws IOException {
        counters.events += poller().poll(timeoutMillis, dispatch);
        counters.wakeUps++;
    }

    /** A failure in one socket's handling is that socket's, never the loop's. */
    private void dispatch(Pollable target, int readiness) {
        try {
            target.ready(readiness);
        } catch (RuntimeException | Error e) {
            SpareFd.whileReleased(() -> log(System.Logger.Level.WARNING, "unexpected error in a socket of " + this,
                    e));
            target.failed(e);
        }
    }

    @Override
    protected final void wakeUp() {
        poller().wakeUp();
    }

    /** Reads {@code connection} again at the end of this turn, before waiting. */
    final void markReady(SocketConnection connection) {
        if (!connection.queuedReady) {
            connection.queuedReady = true;
            ready.addLast(connection);
        }
    }

    @Override
    protected final boolean hasReadyWork() {
        return !ready.isEmpty();
    }

    @Override
    protected final void runReadyWork() {
        for (int n = ready.size(); n > 0; n--) {
            SocketConnection connection = ready.pollFirst();
            connection.queuedReady = false;
            dispatch(connection, Readiness.READABLE);
        }
    }

    @Override
    protected final void closeGracefully() {
        poller().targets().forEach(Pollable::closeGracefully);
    }

    @Override
    protected final void closeListeners() {
        poller().targets().forEach(Pollable::stopAccepting);
    }

    @Override
    protected final int openChannels() {
        return poller().registered();
    }

    @Override
    protected void closeAll() {
        poller().targets().forEach(Pollable::abort);
        poller().close();
    }
}
