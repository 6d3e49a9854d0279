package io.jepoll.echo;

import io.jepoll.net.Activity;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;

/**
 * RFC 862 echo: every byte back, in order. When the peer half-closes, what is queued is
 * flushed and then the connection closes (the default {@link Handler#onInputShutdown}).
 * Stateless, so one instance can serve every connection.
 *
 * <p>Echo has no requests: a connection that has sent something is {@link Activity#IDLE}
 * between reads, so that a server at its cap may close it gracefully (its queued echo is
 * flushed first) before it refuses a new one; one that has sent nothing awaits a request.
 */
public final class EchoHandler implements Handler {

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        connection.write(in);
        connection.activity(Activity.IDLE);
    }
}
