package io.jepoll.server;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At most {@code max} connections of one server open at once, across all its loops. A
 * connection counts from its {@link Handler#onOpen} to its {@link Handler#onClose}, which the
 * loops pair exactly; past the cap it gets the {@code whenFull} handler instead of the
 * server's, which by default aborts it at once: under a flood, no fd is held any longer.
 */
final class ConnectionCap {

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

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(int max) {
        this.max = max;
    }

    /** The server's handlers, each serving its connection only while the server is under the cap. */
    Supplier<Handler> guard(Supplier<? extends Handler> handlers, Supplier<? extends Handler> whenFull) {
        return () -> new Guarded(handlers.get(), whenFull);
    }

    private final class Guarded implements Handler {
        private final Handler server;
        private final Supplier<? extends Handler> whenFull;
        private Handler active;
        private boolean counted;

        Guarded(Handler server, Supplier<? extends Handler> whenFull) {
            this.server = server;
            this.whenFull = whenFull;
        }

        @Override
        public void onOpen(Connection connection) {
            if (open.incrementAndGet() <= max) {
                counted = true;
                active = server;
            } else {
                open.decrementAndGet();
                active = whenFull.get();
            }
            active.onOpen(connection);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            active.onData(connection, in);
        }

        @Override
        public void onWritable(Connection connection) {
            active.onWritable(connection);
        }

        @Override
        public void onInputShutdown(Connection connection) {
            active.onInputShutdown(connection);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (counted) {
                counted = false;
                open.decrementAndGet();
            }
            if (active != null) {
                active.onClose(connection, cause);
            }
        }
    }
}
