package io.jepoll.server;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The connections a server has open, so that each can be told, on its own loop, that the server
 * drains ({@link Handler#onDrain}); a connection opened while it drains is told as soon as it
 * opens. The wrapper is the server's outermost, so that a connection counts from its first
 * callback to its last.
 */
final class Drain {

    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    Supplier<Handler> tracking(Supplier<? extends Handler> handlers) {
        return () -> new Tracked(handlers.get());
    }

    boolean draining() {
        return draining;
    }

    /** Tells every open connection, and those that open from now on; once. */
    synchronized void begin() {
        if (draining) {
            return;
        }
        draining = true;
        open.forEach(Tracked::tell);
    }

    /**
     * Waits until no connection is open, or {@code nanos} have passed.
     *
     * @return whether none is open
     */
    synchronized boolean awaitNoneOpen(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!open.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void closed() {
        notifyAll();
    }

    private final class Tracked extends ForwardingHandler {
        private final Handler handler;
        private Connection connection;
        /** Read and written on the connection's own thread only. */
        private boolean told;

        Tracked(Handler handler) {
            this.handler = handler;
        }

        @Override
        Handler delegate() {
            return handler;
        }

        @Override
        public void onOpen(Connection connection) {
            this.connection = connection;
            // Added before draining is read: begin() either sees this connection or is seen here.
            open.add(this);
            handler.onOpen(connection);
            if (draining) {
                onDrain(connection);
            }
        }

        /** From the thread that began the drain: the telling happens on the connection's loop. */
        void tell() {
            try {
                connection.execute(() -> onDrain(connection));
            } catch (RejectedExecutionException loopEnded) {
                // Its loop has terminated, and closed it.
            }
        }

        @Override
        public void onDrain(Connection connection) {
            if (!told && connection.isOpen()) {
                told = true;
                handler.onDrain(connection);
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            try {
                handler.onClose(connection, cause);
            } finally {
                open.remove(this);
                if (draining) {
                    closed();
                }
            }
        }
    }
}
