package io.jepoll.http;

import io.jepoll.net.Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds the answers to the requests of one read and sends them with one {@link Connection#write}
 * (pipelining): a batch runs from {@link #begin} to {@link #end}, into a buffer lent for the batch
 * only. A response's pre-encoded head, the cached {@code Date} line and its body are copied in, so
 * an answer costs no allocation; only what does not fit is written on its own. As in h2o's
 * http1.c, the connection decides what to answer and this class how it goes on the wire.
 */
final class ResponseWriter {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private Connection connection;
    private ByteBuffer batch;
    /** False while the connection's output is over its high-water mark: answer no more requests. */
    private boolean writable = true;

    /** Starts a batch in {@code scratch} (empty, as the connection lends it), which stays this writer's until {@link #end}. */
    void begin(Connection connection, ByteBuffer scratch) {
        this.connection = connection;
        this.batch = scratch;
    }

    /** Sends what the batch gathered and gives its buffer back. */
    void end() {
        send();
        batch = null;
        connection = null;
    }

    boolean writable() {
        return writable;
    }

    /** The connection's output drained below its low-water mark. */
    void drained() {
        writable = true;
    }

    void writeContinue() {
        append(CONTINUE);
    }

    /**
     * The answer to {@code request}: no body for HEAD, {@code Connection: close} when the
     * connection closes after it, {@code Connection: keep-alive} when HTTP/1.0 would assume it closes.
     */
    void answer(HttpRequest request, HttpResponse response) {
        write(response, request.method != HttpRequest.Method.HEAD,
                !request.keepAlive ? CLOSE : request.minorVersion == 0 ? KEEP_ALIVE : null);
    }

    /** An answer after which the connection closes: a refused request. */
    void answerAndClose(HttpResponse response, boolean withBody) {
        write(response, withBody, CLOSE);
    }

    private void write(HttpResponse response, boolean withBody, byte[] connectionHeader) {
        append(response.head);
        append(HttpDate.line());
        if (connectionHeader != null) {
            append(connectionHeader);
        }
        append(CRLF);
        if (!withBody) {
            return;
        }
        ByteBuffer body = response.bodyView();
        int length = body.remaining();
        if (length <= batch.remaining()) {
            batch.put(batch.position(), body, body.position(), length);
            batch.position(batch.position() + length);
        } else {
            send();
            writable = connection.write(body.duplicate());
        }
    }

    private void append(byte[] bytes) {
        if (bytes.length > batch.remaining()) {
            send();
        }
        if (bytes.length > batch.capacity()) {
            writable = connection.write(ByteBuffer.wrap(bytes));
        } else {
            batch.put(bytes);
        }
    }

    private void send() {
        if (batch.position() > 0) {
            writable = connection.write(batch.flip());
            batch.clear();
        }
    }
}
