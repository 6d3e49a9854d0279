package io.jepoll.http;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * HTTP/1.1 on one connection: parses requests as bytes arrive, answers each in order, and
 * gathers the answers to every request of one read into one write (pipelining). A refused
 * request is answered with its status and {@code Connection: close}, and the connection is
 * closed; the connection itself lingers, so that the peer reads the answer instead of a reset.
 * Tells the connection its {@link Activity}: busy from a request's whole head to its answer.
 */
final class HttpConnection implements Handler {

    /** How long a closing connection's last answer may wait for a peer that does not read it. */
    private static final long LAST_ANSWER_MILLIS = 2000;

    /** How often a body is checked against a minimum rate, where one is set. */
    private static final long RATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private enum State { IDLE, HEAD, BODY, CLOSING }

    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());

    private final Router router;
    private final BiConsumer<? super Connection, ? super Throwable> onError;
    private final HttpLimits limits;
    /**
     * The longest the timer sleeps: a deadline that moves earlier than it was (the header
     * timeout of a request after a long keep-alive wait) is seen within a quarter of the
     * shortest timeout, and a minimum body rate every second.
     */
    private final long checkEveryNanos;
    private final RequestParser parser;
    private final HttpRequest request = new HttpRequest();
    private final ResponseWriter writer = new ResponseWriter();
    private State state = State.IDLE;
    private long deadlineNanos;
    private long bodyStartNanos;
    private Cancellable timer;
    private long pendingAtLastCheck = Long.MAX_VALUE;

    HttpConnection(Router router, HttpLimits limits, BiConsumer<? super Connection, ? super Throwable> onError) {
        this.router = router;
        this.limits = limits;
        this.onError = onError;
        this.parser = new RequestParser(limits);
        long shortest = Math.min(limits.headerTimeout().toNanos(),
                Math.min(limits.bodyTimeout().toNanos(), limits.idleTimeout().toNanos()));
        long quarter = Math.max(1, shortest / 4);
        this.checkEveryNanos = limits.minBodyBytesPerSecond() > 0 ? Math.min(quarter, RATE_CHECK_NANOS) : quarter;
    }

    @Override
    public void onOpen(Connection connection) {
        request.connection = connection;
        deadlineNanos = System.nanoTime() + limits.headerTimeout().toNanos();
        scheduleCheck(connection, Math.min(limits.headerTimeout().toNanos(), checkEveryNanos));
    }

    /** Output drained: the requests left unconsumed are offered again through {@link #onData}. */
    @Override
    public void onWritable(Connection connection) {
        writer.drained();
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        if (state == State.CLOSING) {
            in.position(in.limit());
            return;
        }
        writer.begin(connection, connection.scratchBuffer());
        long now = System.nanoTime();
        try {
            while (in.hasRemaining() && state != State.CLOSING && writer.writable()) {
                if (!advance(connection, in, now)) {
                    break;
                }
            }
        } catch (HttpException e) {
            refuse(e);
            in.position(in.limit());
        }
        writer.end();
        if (state == State.CLOSING) {
            connection.close();
        }
    }

    /** Moves the current request on with the bytes in {@code in}; false when it needs more. */
    private boolean advance(Connection connection, ByteBuffer in, long now) throws HttpException {
        if (state == State.IDLE) {
            // Empty lines between requests are no request: the idle timer keeps running.
            parser.skipEmptyLines(in);
            if (!in.hasRemaining()) {
                return false;
            }
            state = State.HEAD;
            deadlineNanos = now + limits.headerTimeout().toNanos();
        }
        if (state == State.HEAD) {
            if (!parser.parseHead(in, request)) {
                return false;
            }
            // Only a whole head makes a request: a head still arriving (a slowloris) may be evicted.
            state = State.BODY;
            connection.activity(Activity.BUSY);
            if (expectsBody()) {
                deadlineNanos = now + limits.bodyTimeout().toNanos();
                bodyStartNanos = now;
                if (request.expectContinue && !in.hasRemaining()) {
                    writer.writeContinue();
                }
            }
        }
        int bodyFrom = in.position();
        boolean bodyComplete = parser.readBody(in, request);
        if (in.position() != bodyFrom) {
            // An inactivity timeout: every read of the body gives the next one bodyTimeout more.
            deadlineNanos = now + limits.bodyTimeout().toNanos();
        }
        if (!bodyComplete) {
            return false;
        }
        respond(connection);
        parser.reset();
        request.releaseLargeBody();
        if (request.keepAlive) {
            state = State.IDLE;
            connection.activity(Activity.IDLE);
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

    /**
     * A route that throws or answers null is logged and reported, and gets the error handler's
     * answer (500 by default) and a close.
     */
    private void respond(Connection connection) {
        HttpResponse response;
        try {
            response = router.route(request);
            if (response == null) {
                response = routeFailed(connection, new IllegalStateException("the route for " + request.method() + " "
                        + request.path() + " returned no response (null)"));
            }
        } catch (RuntimeException e) {
            response = routeFailed(connection, e);
        }
        writer.answer(request, response);
    }

    private HttpResponse routeFailed(Connection connection, RuntimeException error) {
        request.keepAlive = false;
        LOG.log(System.Logger.Level.WARNING, "the route for " + request.method() + " " + request.path()
                + " failed on the connection " + connection.localAddress() + " <- " + connection.remoteAddress()
                + (router.hasErrorHandler() ? "; answered by the error handler" : "; answered 500"), error);
        try {
            onError.accept(connection, error);
        } catch (RuntimeException | Error hookFailure) {
            LOG.log(System.Logger.Level.WARNING, "the error hook failed", hookFailure);
        }
        return router.failed(request, error);
    }

    private void refuse(HttpException e) {
        closeAfterAnswer();
        writer.answerAndClose(HttpResponse.status(e.status()), !parser.headRequest());
    }

    /** The peer gets a while to read the answer; the timer then aborts. */
    private void closeAfterAnswer() {
        state = State.CLOSING;
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAST_ANSWER_MILLIS);
    }

    /**
     * One timer per connection, re-armed only when it fires, at the deadline or
     * {@link #checkEveryNanos} at the latest: requests just move the deadline, so the hot path
     * schedules nothing. Output that changed since the last check (queued, or
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
        if (left <= 0 || bodyTooSlow(now)) {
            connection.abort();
        } else {
            scheduleCheck(connection, Math.min(left, checkEveryNanos));
        }
    }

    /** With a minimum body rate: a body that, past the body timeout, has averaged less. */
    private boolean bodyTooSlow(long now) {
        long elapsed = now - bodyStartNanos;
        return state == State.BODY && limits.minBodyBytesPerSecond() > 0 && expectsBody()
                && elapsed > limits.bodyTimeout().toNanos()
                && request.bodyLength * 1_000_000_000.0 / elapsed < limits.minBodyBytesPerSecond();
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        if (timer != null) {
            timer.cancel();
        }
        request.releaseBody();
    }
}
