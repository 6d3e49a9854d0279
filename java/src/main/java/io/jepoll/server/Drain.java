package io.jepoll.server;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private volatile boolean everyoneTold;

    Supplier<Handler> tracking(Supplier<? extends Handler> handlers) {
        return () -> new Tracked(handlers.get());
    }

    /** {@return whether the drain has begun and every connection open at its start has been told} */
    boolean everyoneTold() {
        return everyoneTold;
    }

    /**
     * Tells every open connection, and those that open from now on; once. Returns when each
     * connection open now has been told, or {@code nanos} have passed.
     */
    void begin(long nanos) throws InterruptedException {
        List<CompletableFuture<Void>> telling = new ArrayList<>();
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            open.forEach(connection -> telling.add(connection.tell()));
        }
        try {
            CompletableFuture.allOf(telling.toArray(CompletableFuture[]::new)).get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException stillTelling) {
            // A loop too busy to run the task by the deadline: the drain goes on, and the deadline aborts.
        }
        everyoneTold = true;
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
        CompletableFuture<Void> tell() {
            CompletableFuture<Void> told = new CompletableFuture<>();
            try {
                connection.execute(() -> {
                    try {
                        onDrain(connection);
                    } finally {
                        told.complete(null);
                    }
                });
            } catch (RejectedExecutionException loopEnded) {
                // Its loop has terminated, and closed it.
                told.complete(null);
            }
            return told;
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
