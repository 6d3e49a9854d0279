package io.jepoll.http;

import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 on one connection: parses requests as bytes arrive, answers each in order, and
 * gathers the answers to every request of one read into one write (pipelining). A refused
 * request is answered with its status and {@code Connection: close}; the connection then
 * shuts its output and drains what the peer still sends for a moment before closing, so the
 * peer reads the answer instead of a reset.
 */
final class HttpConnection implements Handler {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final long LINGER_MILLIS = 2000;

    private enum State { IDLE, HEAD, BODY, CLOSING }

    private final Router router;
    private final HttpLimits limits;
    private final RequestParser parser;
    private final HttpRequest request = new HttpRequest();
    private State state = State.IDLE;
    private volatile long deadlineNanos;
    private Cancellable timer;
    private long pendingAtLastCheck = Long.MAX_VALUE;
    /** False while this connection's output is over its high-water mark: answer no more requests. */
    private boolean writable = true;

    HttpConnection(Router router, HttpLimits limits) {
        this.router = router;
        this.limits = limits;
        this.parser = new RequestParser(limits);
    }

    @Override
    public void onOpen(Connection connection) {
        deadlineNanos = System.nanoTime() + limits.headerTimeout().toNanos();
        scheduleCheck(connection, limits.headerTimeout().toNanos());
    }

    /** Output drained: the requests left unconsumed are offered again through {@link #onData}. */
    @Override
    public void onWritable(Connection connection) {
        writable = true;
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        if (state == State.CLOSING) {
            in.position(in.limit());
            return;
        }
        ByteBuffer batch = connection.scratchBuffer();
        long now = System.nanoTime();
        try {
            while (in.hasRemaining() && state != State.CLOSING && writable) {
                if (!advance(connection, in, batch, now)) {
                    break;
                }
            }
        } catch (HttpException e) {
            refuse(connection, batch, e);
            in.position(in.limit());
        }
        send(connection, batch);
        if (state == State.CLOSING) {
            connection.shutdownOutput();
        }
    }

    /** Moves the current request on with the bytes in {@code in}; false when it needs more. */
    private boolean advance(Connection connection, ByteBuffer in, ByteBuffer batch, long now) throws HttpException {
        if (state == State.IDLE) {
            state = State.HEAD;
            deadlineNanos = now + limits.headerTimeout().toNanos();
        }
        if (state == State.HEAD) {
            if (!parser.parseHead(in, request)) {
                return false;
            }
            state = State.BODY;
            if (expectsBody()) {
                deadlineNanos = now + limits.bodyTimeout().toNanos();
                if (request.expectContinue && !in.hasRemaining()) {
                    append(connection, batch, CONTINUE);
                }
            }
        }
        if (!parser.readBody(in, request)) {
            return false;
        }
        respond(connection, batch);
        parser.reset();
        request.releaseLargeBody();
        if (request.keepAlive) {
            state = State.IDLE;
            // Not onData's now: on the blocking transport respond() returns once the answer is sent.
            deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos();
        } else {
            closeAfterAnswer();
            in.position(in.limit());
        }
        return true;
    }

    private boolean expectsBody() {
        return request.chunked || request.contentLength > 0;
    }

    private void respond(Connection connection, ByteBuffer batch) {
        HttpResponse response;
        try {
            response = router.route(request);
        } catch (RuntimeException e) {
            request.keepAlive = false;
            response = Router.INTERNAL_ERROR;
        }
        write(connection, batch, response, request.method != HttpRequest.Method.HEAD,
                !request.keepAlive ? CLOSE : request.minorVersion == 0 ? KEEP_ALIVE : null);
    }

    private void refuse(Connection connection, ByteBuffer batch, HttpException e) {
        closeAfterAnswer();
        write(connection, batch, HttpResponse.status(e.status()), !parser.headRequest(), CLOSE);
    }

    /** The peer gets a while to read the answer and close its side; the timer then aborts. */
    private void closeAfterAnswer() {
        state = State.CLOSING;
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    }

    private void write(Connection connection, ByteBuffer batch, HttpResponse response, boolean withBody,
            byte[] connectionHeader) {
        append(connection, batch, response.head);
        append(connection, batch, HttpDate.line());
        if (connectionHeader != null) {
            append(connection, batch, connectionHeader);
        }
        append(connection, batch, CRLF);
        if (!withBody) {
            return;
        }
        ByteBuffer body = response.bodyView();
        int length = body.remaining();
        if (length <= batch.remaining()) {
            batch.put(batch.position(), body, body.position(), length);
            batch.position(batch.position() + length);
        } else {
            send(connection, batch);
            writable = connection.write(body.duplicate());
        }
    }

    private void append(Connection connection, ByteBuffer batch, byte[] bytes) {
        if (bytes.length > batch.remaining()) {
            send(connection, batch);
        }
        if (bytes.length > batch.capacity()) {
            writable = connection.write(ByteBuffer.wrap(bytes));
        } else {
            batch.put(bytes);
        }
    }

    private void send(Connection connection, ByteBuffer batch) {
        if (batch.position() > 0) {
            writable = connection.write(batch.flip());
            batch.clear();
        }
    }

    /**
     * One timer per connection, re-armed only when it fires: requests just move the deadline,
     * so the hot path schedules nothing. Output that changed since the last check (queued, or
     * draining to a slow reader) counts as activity; output that a peer never reads does not.
     */
    private void scheduleCheck(Connection connection, long delayNanos) {
        timer = connection.schedule(() -> check(connection), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(Connection connection) {
        if (!connection.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long pending = connection.pendingOutputBytes();
        if (pending > 0 && pending != pendingAtLastCheck) {
            deadlineNanos = Math.max(deadlineNanos, now + limits.idleTimeout().toNanos());
        }
        pendingAtLastCheck = pending;
        long left = deadlineNanos - now;
        if (left <= 0) {
            connection.abort();
        } else {
            scheduleCheck(connection, left);
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        if (timer != null) {
            timer.cancel();
        }
        request.releaseBody();
    }
}
