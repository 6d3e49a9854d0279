package io.jepoll.http;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Serves a connection accepted past the server's connection cap: answers 503 with
 * {@code Connection: close} at once, without reading a request, and closes gracefully, so the
 * client reads the answer rather than a reset. Whatever the client sends is discarded.
 */
final class ServiceUnavailable implements Handler {

    private static final HttpResponse RESPONSE = HttpResponse.of(503, "text/plain",
            "server at its connection limit; try again later\n".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] CLOSE = "Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void onOpen(Connection connection) {
        ByteBuffer body = RESPONSE.body();
        byte[] date = HttpDate.line();
        ByteBuffer answer = ByteBuffer.allocate(RESPONSE.head.length + date.length + CLOSE.length + body.remaining());
        answer.put(RESPONSE.head).put(date).put(CLOSE).put(body).flip();
        connection.write(answer);
        connection.close();
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        in.position(in.limit());
    }
}
