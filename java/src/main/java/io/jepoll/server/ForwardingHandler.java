package io.jepoll.server;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;

/**
 * Passes every callback on to another handler: the server's wrappers (the connection cap, the
 * idle timeout, the drain) extend it and override only the callbacks they add to.
 */
abstract class ForwardingHandler implements Handler {

    /** The handler the callbacks go to; it may be chosen in {@link #onOpen}. */
    abstract Handler delegate();

    @Override
    public void onOpen(Connection connection) {
        delegate().onOpen(connection);
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        delegate().onData(connection, in);
    }

    @Override
    public void onWritable(Connection connection) {
        delegate().onWritable(connection);
    }

    @Override
    public void onInputShutdown(Connection connection) {
        delegate().onInputShutdown(connection);
    }

    @Override
    public void onDrain(Connection connection) {
        delegate().onDrain(connection);
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        delegate().onClose(connection, cause);
    }
}
