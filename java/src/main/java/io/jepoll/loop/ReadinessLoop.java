package io.jepoll.loop;

import io.jepoll.loop.BufferPool.Chunk;
import java.util.ArrayDeque;

/**
 * What the epoll and NIO loops share: one read buffer for all their connections, a pool of
 * output chunks, and a ready list of connections to read again next turn.
 */
abstract class ReadinessLoop extends EventLoop {

    final LoopConfig config;
    final BufferPool pool;
    final Chunk readChunk;
    private final ArrayDeque<SocketConnection> ready = new ArrayDeque<>();

    ReadinessLoop(String name, LoopConfig config, boolean needAddresses) {
        super(name);
        this.config = config;
        this.pool = new BufferPool(config.readBufferSize(), 64, needAddresses);
        this.readChunk = pool.take();
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
            try {
                connection.readReady(false);
            } catch (RuntimeException | Error e) {
                log(System.Logger.Level.WARNING, "unexpected error in a connection of " + this, e);
                connection.failed(e);
            }
        }
    }
}
