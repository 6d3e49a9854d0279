package io.jepoll.server;

import io.jepoll.net.Activity;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * At most {@code max} connections of one server open at once, across all its loops. A
 * connection counts from its {@link Handler#onOpen} to its {@link Handler#onClose}, which the
 * loops pair exactly.
 *
 * <p>At the cap a new connection makes room: the oldest connection whose protocol reports it
 * {@link Activity#AWAITING_REQUEST} or {@link Activity#IDLE} is closed (aborted if it never
 * sent a request, closed gracefully if idle between requests) and the new one takes its place,
 * so connections that hold a slot doing nothing (a slowloris) cannot lock real clients out.
 * Only when every connection is {@link Activity#BUSY} does the new one get the {@code whenFull}
 * handler, which by default aborts it at once: under a flood, no fd is held any longer.
 *
 * <p>A victim that turns out busy on its own loop is counted again, so the count can pass
 * {@code max} by the few such races under way, until connections close.
 */
final class ConnectionCap {

    private static final System.Logger LOG = System.getLogger(ConnectionCap.class.getName());

    /** Closes at once (close(2), no linger): the fd is free again and nothing waits on the peer. */
    static final Supplier<Handler> ABORT = () -> new Handler() {
        @Override
        public void onOpen(Connection connection) {
            connection.abort();
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
        }
    };

    /**
     * After a search of the open connections found none to close, new connections are refused
     * without one for this long: a flood against a cap of busy connections costs no search each.
     */
    private static final long SEARCH_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong openings = new AtomicLong();
    /** The counted connections, oldest first. */
    private final ConcurrentSkipListMap<Long, Guarded> counted = new ConcurrentSkipListMap<>();
    private volatile long searchAgainAt = System.nanoTime();

    ConnectionCap(int max) {
        this.max = max;
    }

    /** The server's handlers, each serving its connection only while the server is under the cap. */
    Supplier<Handler> guard(Supplier<? extends Handler> handlers, Supplier<? extends Handler> whenFull) {
        return () -> new Guarded(handlers.get(), whenFull);
    }

    /**
     * Uncounts the oldest connection that loses nothing by closing and asks its loop to close it;
     * false when there is none. Its activity is read here, on another connection's thread, as a
     * hint: its own loop checks again before closing it.
     */
    private boolean evictOne() {
        long now = System.nanoTime();
        if (now - searchAgainAt < 0) {
            return false;
        }
        for (Guarded candidate : counted.values()) {
            if (candidate.connection.activity() != Activity.BUSY && candidate.uncount()) {
                candidate.evict();
                return true;
            }
        }
        searchAgainAt = now + SEARCH_BACKOFF_NANOS;
        return false;
    }

    private final class Guarded extends ForwardingHandler {
        private final Handler server;
        private final Supplier<? extends Handler> whenFull;
        private final AtomicBoolean isCounted = new AtomicBoolean();
        private final long opening = openings.incrementAndGet();
        private Connection connection;
        private Handler active;

        Guarded(Handler server, Supplier<? extends Handler> whenFull) {
            this.server = server;
            this.whenFull = whenFull;
        }

        @Override
        Handler delegate() {
            return active;
        }

        @Override
        public void onOpen(Connection connection) {
            this.connection = connection;
            if (open.incrementAndGet() <= max || evictOne()) {
                count();
                active = server;
            } else {
                open.decrementAndGet();
                active = whenFull.get();
            }
            active.onOpen(connection);
        }

        /** Counts this connection (its slot in {@code open} is already taken). */
        private void count() {
            isCounted.set(true);
            counted.put(opening, this);
        }

        /** Gives up this connection's slot; false if it had none (not counted, or given up already). */
        private boolean uncount() {
            if (!isCounted.compareAndSet(true, false)) {
                return false;
            }
            counted.remove(opening);
            open.decrementAndGet();
            return true;
        }

        /** On the connection's own loop: closes it, unless it has begun a request meanwhile. */
        private void evict() {
            try {
                connection.execute(() -> {
                    Activity activity = connection.activity();
                    if (activity == Activity.BUSY) {
                        if (connection.isOpen()) {
                            open.incrementAndGet();
                            count();
                        }
                        return;
                    }
                    LOG.log(System.Logger.Level.DEBUG, () -> "at the cap of " + max + " connections: closing "
                            + connection.remoteAddress() + " (" + activity + ") to make room");
                    if (activity == Activity.AWAITING_REQUEST) {
                        connection.abort();
                    } else {
                        connection.close();
                    }
                });
            } catch (RejectedExecutionException loopEnded) {
                // Its loop has terminated and closed it already.
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            uncount();
            if (active != null) {
                active.onClose(connection, cause);
            }
        }
    }
}
