package io.jepoll.echo;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;

/**
 * RFC 862 echo: every byte back, in order. When the peer half-closes, what is queued is
 * flushed and then the connection closes (the default {@link Handler#onInputShutdown}).
 * Stateless, so one instance can serve every connection.
 */
public final class EchoHandler implements Handler {

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        connection.write(in);
    }
}
