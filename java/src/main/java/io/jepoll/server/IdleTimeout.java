package io.jepoll.server;

import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Closes a connection on which no byte has moved, in either direction, for a whole timeout: a
 * peer that connects and sends nothing, or stops reading and sending, holds nothing for ever.
 * A timer per connection samples its byte counts a few times per timeout, so the traffic
 * itself costs nothing; the close comes between one and one and a quarter timeouts after the
 * last byte. It is graceful, unless output is still queued: that the peer has not read for the
 * whole timeout, so the connection is aborted.
 */
final class IdleTimeout {

    private static final System.Logger LOG = System.getLogger(IdleTimeout.class.getName());
    private static final int CHECKS_PER_TIMEOUT = 4;

    private IdleTimeout() {
    }

    /** {@code handlers}' handlers, each closing its connection after {@code timeout} without traffic. */
    static Supplier<Handler> closing(Supplier<? extends Handler> handlers, Duration timeout) {
        long timeoutNanos = timeout.toNanos();
        return () -> new Watched(handlers.get(), timeoutNanos);
    }

    private static final class Watched extends ForwardingHandler {
        private final Handler handler;
        private final long timeoutNanos;
        private final long periodNanos;
        private Cancellable check;
        private long lastMoved;
        private long lastMovedAt;

        Watched(Handler handler, long timeoutNanos) {
            this.handler = handler;
            this.timeoutNanos = timeoutNanos;
            this.periodNanos = Math.max(1, timeoutNanos / CHECKS_PER_TIMEOUT);
        }

        @Override
        Handler delegate() {
            return handler;
        }

        @Override
        public void onOpen(Connection connection) {
            lastMovedAt = System.nanoTime();
            check = connection.schedule(() -> check(connection), periodNanos, TimeUnit.NANOSECONDS);
            handler.onOpen(connection);
        }

        private void check(Connection connection) {
            if (!connection.isOpen()) {
                return;
            }
            long moved = connection.bytesRead() + connection.bytesWritten();
            long now = System.nanoTime();
            if (moved != lastMoved) {
                lastMoved = moved;
                lastMovedAt = now;
            } else if (now - lastMovedAt >= timeoutNanos) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection.remoteAddress() + ": idle for "
                        + Duration.ofNanos(now - lastMovedAt));
                // A graceful close would wait for output that the peer has not read for a whole
                // timeout, and so hold the connection for ever.
                if (connection.pendingOutputBytes() > 0) {
                    connection.abort();
                } else {
                    connection.close();
                }
                return;
            }
            check = connection.schedule(() -> check(connection), periodNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (check != null) {
                check.cancel();
            }
            handler.onClose(connection, cause);
        }
    }
}
