package io.jepoll.server;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Makes a handler's exceptions seen: each is logged once with the connection's addresses and
 * handed to the server's hook, then goes on to the loop, which closes that connection with it
 * as the cause ({@link Handler#onClose}), as it always did.
 */
final class FailureReport {

    private static final System.Logger LOG = System.getLogger(FailureReport.class.getName());

    /** The default hook: the log line is all. */
    static final BiConsumer<Connection, Throwable> NONE = (connection, error) -> { };

    private FailureReport() {
    }

    /** {@code handlers}' handlers, each reporting what it throws to {@code hook}. */
    static Supplier<Handler> reporting(Supplier<? extends Handler> handlers,
            BiConsumer<? super Connection, ? super Throwable> hook) {
        return () -> new Reporting(handlers.get(), hook);
    }

    /** {@code handler}, reporting what it throws to {@code hook}. */
    static Handler reporting(Handler handler, BiConsumer<? super Connection, ? super Throwable> hook) {
        return new Reporting(handler, hook);
    }

    /** Logs {@code error} once, naming {@code where}, and tells {@code hook}; a failing hook is logged too. */
    static void report(String where, Connection connection, Throwable error,
            BiConsumer<? super Connection, ? super Throwable> hook) {
        LOG.log(System.Logger.Level.WARNING, where + " failed on " + describe(connection), error);
        try {
            hook.accept(connection, error);
        } catch (RuntimeException | Error hookFailure) {
            LOG.log(System.Logger.Level.WARNING, "the error hook failed", hookFailure);
        }
    }

    /** Its addresses, as far as they are still known: a closed connection may not know them. */
    private static String describe(Connection connection) {
        SocketAddress local = connection.localAddress();
        SocketAddress remote = connection.remoteAddress();
        return local == null && remote == null ? "a closed connection"
                : "the connection " + local + " <- " + remote;
    }

    private static final class Reporting implements Handler {
        private final Handler handler;
        private final BiConsumer<? super Connection, ? super Throwable> hook;

        Reporting(Handler handler, BiConsumer<? super Connection, ? super Throwable> hook) {
            this.handler = handler;
            this.hook = hook;
        }

        @Override
        public void onOpen(Connection connection) {
            try {
                handler.onOpen(connection);
            } catch (RuntimeException | Error e) {
                reported("onOpen", connection, e);
                throw e;
            }
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            try {
                handler.onData(connection, in);
            } catch (RuntimeException | Error e) {
                reported("onData", connection, e);
                throw e;
            }
        }

        @Override
        public void onWritable(Connection connection) {
            try {
                handler.onWritable(connection);
            } catch (RuntimeException | Error e) {
                reported("onWritable", connection, e);
                throw e;
            }
        }

        @Override
        public void onInputShutdown(Connection connection) {
            try {
                handler.onInputShutdown(connection);
            } catch (RuntimeException | Error e) {
                reported("onInputShutdown", connection, e);
                throw e;
            }
        }

        @Override
        public void onDrain(Connection connection) {
            try {
                handler.onDrain(connection);
            } catch (RuntimeException | Error e) {
                reported("onDrain", connection, e);
                throw e;
            }
        }

        /** The connection is gone: an exception here has nothing left to close, so it ends here. */
        @Override
        public void onClose(Connection connection, Throwable cause) {
            try {
                handler.onClose(connection, cause);
            } catch (RuntimeException | Error e) {
                reported("onClose", connection, e);
            }
        }

        private void reported(String callback, Connection connection, Throwable error) {
            report("a handler's " + callback, connection, error, hook);
        }
    }
}
