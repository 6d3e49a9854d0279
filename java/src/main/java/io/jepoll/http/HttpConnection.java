package io.jepoll.http;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * HTTP/1.1 on one connection: parses requests as bytes arrive and answers each in order. Answers
 * to the requests of one read are gathered into one write (pipelining). A refused request is
 * answered with its status and {@code Connection: close}, and the connection is closed; the
 * connection itself lingers, so that the peer reads the answer instead of a reset. Tells the
 * connection its {@link Activity}: busy from a request's whole head to its answer.
 *
 * <p>One request is answered at a time. An answer that comes later (an asynchronous or blocking
 * route) or is streamed holds the next requests back: their bytes stay unconsumed and reads are
 * suspended, so the peer meets TCP back-pressure, and the request stays valid for its handler
 * until its answer is sent. A streamed answer is pulled one batch at a time, and only once the
 * socket has taken the batch before it; a streamed request body is buffered up to the body
 * limit while nobody takes it.
 */
final class HttpConnection implements Handler {

    /** How long a closing connection's last answer may wait for a peer that does not read it. */
    private static final long LAST_ANSWER_MILLIS = 2000;

    /**
     * While the server drains, a connection idle between requests for this long is closed. Not at
     * once: a client that has just had an answer may be sending its next request, which a close
     * would fail; a busy client gets {@code Connection: close} with its next answer instead.
     */
    private static final long DRAIN_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How often a body is checked against a minimum rate, where one is set. */
    private static final long RATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private enum State { IDLE, HEAD, BODY, ANSWER, CLOSING }

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
    private final RequestBody streamedBody;
    private final ResponseWriter writer = new ResponseWriter();
    private final MemoryBudget budget;
    /** Null when the server keeps no access log: then nothing here is measured for it. */
    private final AccessLog accessLog;
    /** For the access log: when the request's head began, its answer's status and body bytes so far. */
    private long requestStartNanos;
    private int answerStatus;
    private long answerBodyBytes;
    /** What this connection holds against the budget, as last reported; read by other loops choosing whom to evict. */
    private volatile long held;
    private final AtomicBoolean evicting = new AtomicBoolean();
    private Connection connection;
    private State state = State.IDLE;
    private long deadlineNanos;
    private long bodyStartNanos;
    private Cancellable timer;
    private long pendingAtLastCheck = Long.MAX_VALUE;

    /** The route answering the current request. */
    private HttpHandler route;
    /** Counts requests, so that an answer that comes after its connection moved on (or closed) is dropped. */
    private int exchange;
    /** The answer comes later: from a stage, or from a body receiver when the body ends. */
    private boolean answerPending;
    /** The stream being sent, and how: its head already written, chunked, how much of a known length is left. */
    private BodySource source;
    private HttpResponse streaming;
    private boolean headWritten;
    private boolean chunked;
    private long streamLeft;
    /** The file being sent (sendfile), where it has got to and what is left. */
    private SendableFile file;
    private long filePosition;
    private long fileLeft;
    /** A batch of the stream (or a piece of the file) is still queued: the next is pulled once it has gone (see {@link Connection#notifyWhenDrained}). */
    private boolean awaitingDrain;
    /** A source had nothing ready: it is asked again on the loop's next turn. */
    private boolean retryScheduled;
    private boolean readsSuspended;
    /** The peer shut its output down: the answer in progress is the last. */
    private boolean peerDone;
    /**
     * A request finished and the connection waits for the next: the idle timeout starts once the
     * answers of this batch are sent, with one clock read for the batch rather than one per request.
     */
    private boolean idleFromBatchEnd;
    /** When the connection last became idle: opened, or its last batch of answers sent. */
    private long quietSinceNanos;

    HttpConnection(Router router, HttpLimits limits, BiConsumer<? super Connection, ? super Throwable> onError,
            MemoryBudget budget, AccessLog accessLog) {
        this.router = router;
        this.accessLog = accessLog;
        this.budget = budget;
        this.limits = limits;
        this.onError = onError;
        this.parser = new RequestParser(limits);
        this.streamedBody = new RequestBody(parser, request, limits.maxBodyBytes());
        long shortest = Math.min(limits.headerTimeout().toNanos(),
                Math.min(limits.bodyTimeout().toNanos(), limits.idleTimeout().toNanos()));
        long quarter = Math.max(1, shortest / 4);
        this.checkEveryNanos = limits.minBodyBytesPerSecond() > 0 ? Math.min(quarter, RATE_CHECK_NANOS) : quarter;
    }

    @Override
    public void onOpen(Connection connection) {
        this.connection = connection;
        request.connection = connection;
        request.resumeBody = () -> onTask(this::resumeBody);
        quietSinceNanos = System.nanoTime();
        deadlineNanos = quietSinceNanos + limits.headerTimeout().toNanos();
        scheduleCheck(Math.min(limits.headerTimeout().toNanos(), checkEveryNanos));
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        if (state == State.CLOSING) {
            in.position(in.limit());
            return;
        }
        writer.begin(connection, connection.scratchBuffer());
        streamedBody.lend(in);
        try {
            drive(in, System.nanoTime());
        } catch (HttpException e) {
            refuse(e);
            in.position(in.limit());
        } finally {
            streamedBody.endInput();
        }
        writer.end();
        startIdleTimeout();
        if (state == State.CLOSING) {
            connection.close();
        } else if (state == State.ANSWER && in.hasRemaining() && writer.writable() && !readsSuspended) {
            // Waiting for the answer (or for room to buffer the body): the peer waits in TCP.
            readsSuspended = true;
            connection.suspendReads();
        }
        account();
    }

    /**
     * After a batch's answers went to the connection: a connection left waiting for its next
     * request gets the idle timeout from now (not onData's start: on the blocking transport the
     * answers were sent meanwhile).
     */
    private void startIdleTimeout() {
        if (idleFromBatchEnd) {
            idleFromBatchEnd = false;
            if (state == State.IDLE) {
                quietSinceNanos = System.nanoTime();
                deadlineNanos = quietSinceNanos + limits.idleTimeout().toNanos();
                if (request.serverDraining) {
                    closeWhenQuiet();
                }
            }
        }
    }

    /**
     * The server drains: the answers from now on say {@code Connection: close}, and a connection
     * idle between requests closes once it has been quiet a while (see {@link #DRAIN_QUIET_NANOS}).
     */
    @Override
    public void onDrain(Connection connection) {
        request.serverDraining = true;
        closeWhenQuiet();
    }

    private void closeWhenQuiet() {
        if (state != State.IDLE || !connection.isOpen()) {
            return;
        }
        long quiet = System.nanoTime() - quietSinceNanos;
        if (quiet >= DRAIN_QUIET_NANOS) {
            state = State.CLOSING;
            connection.close();
        } else {
            connection.schedule(this::closeWhenQuiet, DRAIN_QUIET_NANOS - quiet, TimeUnit.NANOSECONDS);
        }
    }

    /** Reports what this connection holds now (buffered body, queued output) to the server's budget. */
    private void account() {
        long now = connection.isOpen() ? request.body.length + streamedBody.capacity() + connection.pendingOutputBytes()
                : 0;
        long before = held;
        if (now != before) {
            held = now;
            budget.change(this, now - before, now);
        }
    }

    long held() {
        return held;
    }

    boolean evicting() {
        return evicting.get();
    }

    /** Closes this connection on its loop to bring the server back within its budget; false when already asked. */
    boolean evict() {
        if (!evicting.compareAndSet(false, true)) {
            return false;
        }
        connection.execute(connection::abort);
        return true;
    }

    /** Output drained: below the low-water mark, or a streamed batch all sent. */
    @Override
    public void onWritable(Connection connection) {
        onTask(() -> {
            writer.drained();
            awaitingDrain = false;
        });
    }

    @Override
    public void onInputShutdown(Connection connection) {
        if (state == State.ANSWER) {
            peerDone = true;
            if (request.streamedBody != null && !streamedBody.finished()) {
                connection.abort();
            }
        } else {
            connection.close();
        }
    }

    /**
     * Work outside onData (an answer that came, a drained output, a resumed receiver): moves the
     * answer on, then lets the held-back input in again, which onData suspends anew if it still
     * cannot be consumed.
     */
    private void onTask(Runnable work) {
        if (state == State.CLOSING || !connection.isOpen()) {
            return;
        }
        writer.begin(connection, connection.scratchBuffer());
        try {
            work.run();
            if (state == State.ANSWER) {
                drive(null, System.nanoTime());
            }
        } catch (HttpException e) {
            refuse(e);
        }
        writer.end();
        startIdleTimeout();
        if (state == State.CLOSING) {
            connection.close();
        } else if (readsSuspended) {
            readsSuspended = false;
            connection.resumeReads();
        }
        account();
    }

    /** Moves requests and answers on as far as the bytes in {@code in} (null outside onData) allow. */
    private void drive(ByteBuffer in, long now) throws HttpException {
        while (state != State.CLOSING) {
            boolean progressed = state == State.ANSWER ? answerStep(in, now)
                    : in != null && in.hasRemaining() && writer.writable() && readRequest(in, now);
            if (!progressed) {
                break;
            }
        }
        if (state == State.CLOSING && in != null) {
            in.position(in.limit());
        }
    }

    /** Reads a request's head, and a buffered route's body; false when it needs more bytes. */
    private boolean readRequest(ByteBuffer in, long now) throws HttpException {
        if (state == State.IDLE) {
            // Empty lines between requests are no request: the idle timer keeps running.
            parser.skipEmptyLines(in);
            if (!in.hasRemaining()) {
                return false;
            }
            state = State.HEAD;
            deadlineNanos = now + limits.headerTimeout().toNanos();
            if (accessLog != null) {
                requestStartNanos = now;
            }
        }
        if (state == State.HEAD) {
            if (!parser.parseHead(in, request)) {
                return false;
            }
            // Only a whole head makes a request: a head still arriving (a slowloris) may be evicted.
            connection.activity(Activity.BUSY);
            exchange++;
            route = router.select(request);
            boolean streamed = route instanceof StreamingRoute;
            if (streamed) {
                parser.streamBody();
                request.streamedBody = streamedBody;
                streamedBody.begin(!expectsBody());
            } else {
                parser.checkBodyLimit(request);
                if (request.contentLength > 0 && budget.wouldExceed(request.contentLength)) {
                    throw new HttpException(503, "a body of " + request.contentLength + " bytes would exceed the memory budget");
                }
            }
            if (expectsBody()) {
                deadlineNanos = now + limits.bodyTimeout().toNanos();
                bodyStartNanos = now;
                if (request.expectContinue && !in.hasRemaining()) {
                    writer.writeContinue();
                }
            }
            if (streamed) {
                state = State.ANSWER;
                answer(invoke(route));
                return true;
            }
            state = State.BODY;
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
        state = State.ANSWER;
        answer(invoke(route));
        return true;
    }

    private boolean expectsBody() {
        return request.chunked || request.contentLength > 0;
    }

    /**
     * Moves the answer on: the streamed request body, the answer's stream; the request is done
     * once both are. False when nothing moved.
     */
    private boolean answerStep(ByteBuffer in, long now) throws HttpException {
        boolean progressed = false;
        boolean streamedIn = request.streamedBody != null;
        // Body bytes taken from the input, by the pump (an echo reads them straight from it) or by feed.
        int inputFrom = in != null ? in.position() : 0;
        if (source != null && !awaitingDrain && writer.writable()) {
            progressed = pump();
            if (state == State.CLOSING) {
                return true;
            }
            if (progressed && !(streamedIn && !streamedBody.decodedAll())) {
                // Sending is activity once the body is in: while it arrives, the body timeout rules.
                deadlineNanos = Math.max(deadlineNanos, now + limits.idleTimeout().toNanos());
            }
        }
        if (streamedIn && in != null && !streamedBody.finished()) {
            progressed |= streamedBody.feed(in);
        }
        if (streamedIn && in != null && in.position() != inputFrom) {
            // An inactivity timeout: every read of the body gives the next one bodyTimeout more.
            deadlineNanos = Math.max(deadlineNanos, now + limits.bodyTimeout().toNanos());
        }
        if (answerPending && streamedIn && streamedBody.pushed() && streamedBody.finished()) {
            answerPending = false;
            answer(receiverAnswer());
            progressed = true;
        }
        if (file != null && !awaitingDrain) {
            progressed |= sendFilePiece();
            deadlineNanos = Math.max(deadlineNanos, now + limits.idleTimeout().toNanos());
        }
        if (answerPending || source != null || file != null) {
            return progressed;
        }
        if (streamedIn && !streamedBody.finished()) {
            streamedBody.discardRest();
            if (in != null) {
                streamedBody.feed(in);
            }
            if (!streamedBody.finished()) {
                return progressed;
            }
        }
        finishRequest();
        return true;
    }

    /** Starts sending {@code response}, or waiting for it. */
    private void answer(HttpResponse response) {
        if (request.serverDraining) {
            request.keepAlive = false;
        }
        if (response.later != null) {
            answerPending = true;
            if (response != HttpResponse.AFTER_BODY) {
                // The request is in: an answer that comes later may take up to the idle timeout.
                deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos();
                int mine = exchange;
                response.later.whenComplete((answer, failure) ->
                        connection.execute(() -> onTask(() -> answered(mine, answer, failure))));
            }
            return;
        }
        answerPending = false;
        if (accessLog != null) {
            answerStatus = response.status();
            answerBodyBytes = response.source != null || request.method == HttpRequest.Method.HEAD ? 0
                    : response.streamLength;
        }
        if (response.file != null) {
            writer.head(request, response, false);
            file = response.file;
            filePosition = response.filePosition;
            fileLeft = response.streamLength;
            if (request.method == HttpRequest.Method.HEAD || fileLeft == 0) {
                closeFile();
            }
            return;
        }
        if (response.source == null) {
            writer.answer(request, response);
            return;
        }
        streaming = response;
        boolean echo = response == HttpResponse.ECHO_BODY;
        source = echo ? streamedBody.pull() : response.source;
        headWritten = false;
        streamLeft = !echo ? response.streamLength : request.chunked ? -1 : Math.max(0, request.contentLength);
        chunked = streamLeft < 0 && request.minorVersion == 1;
        if (streamLeft < 0 && request.minorVersion == 0) {
            // HTTP/1.0 has no chunks: the end of the body is the end of the connection.
            request.keepAlive = false;
        }
        if (request.method == HttpRequest.Method.HEAD) {
            writer.head(request, response, chunked);
            endStream();
        }
    }

    /** A later answer came, on the loop; dropped when its request is no longer the current one. */
    private void answered(int mine, HttpResponse response, Throwable failure) {
        if (mine != exchange || state != State.ANSWER || !answerPending) {
            return;
        }
        answerPending = false;
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            answer(cause instanceof BadRequestException ? Router.BAD_REQUEST
                    : routeFailed(cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause)));
        } else if (response == null) {
            answer(routeFailed(nullAnswer()));
        } else {
            answer(response);
        }
    }

    /**
     * Pulls the stream into the batch while the socket keeps up. The head goes with the first
     * bytes: a request body found malformed before any is answered 400 as a buffered one is.
     */
    private boolean pump() throws HttpException {
        boolean progressed = false;
        while (source != null && writer.writable() && !awaitingDrain) {
            int mark = writer.mark();
            long sends = writer.sends();
            if (!headWritten) {
                writer.head(request, streaming, chunked);
            }
            ByteBuffer room = writer.bodyRoom(chunked);
            int roomStart = room.position();
            if (streamLeft >= 0 && room.remaining() > streamLeft) {
                room.limit(roomStart + (int) streamLeft);
            }
            int n;
            try {
                n = streamLeft == 0 ? -1 : source.read(room);
            } catch (RequestBody.MalformedBody e) {
                writer.bodyWritten(0, chunked);
                if (!headWritten && writer.sends() == sends) {
                    writer.rollBack(mark);
                    throw e.cause;
                }
                cutStream(e, false);
                return true;
            } catch (IOException | RuntimeException e) {
                writer.bodyWritten(0, chunked);
                cutStream(e, true);
                return true;
            }
            writer.bodyWritten(Math.max(0, n), chunked);
            answerBodyBytes += Math.max(0, n);
            if (n == 0) {
                if (!headWritten && writer.sends() == sends) {
                    writer.rollBack(mark);
                } else {
                    headWritten = true;
                }
                if (source != streamedBody) {
                    retryLater();
                }
                return progressed;
            }
            headWritten = true;
            progressed = true;
            if (n < 0) {
                if (streamLeft > 0) {
                    cutStream(new IOException("the stream ended " + streamLeft + " bytes short of its length"), true);
                    return true;
                }
                if (chunked) {
                    writer.lastChunk();
                }
                endStream();
                return true;
            }
            if (streamLeft > 0) {
                streamLeft -= n;
            }
            if (connection.pendingOutputBytes() > 0) {
                awaitingDrain = true;
                connection.notifyWhenDrained();
            }
        }
        return progressed;
    }

    /**
     * Sends what the socket takes of the file, after the head the batch holds; when it takes less,
     * the connection calls onWritable once it can take more.
     */
    private boolean sendFilePiece() {
        writer.sendNow();
        long n = connection.sendFile(file, filePosition, fileLeft);
        filePosition += n;
        fileLeft -= n;
        if (fileLeft == 0) {
            closeFile();
            return true;
        }
        awaitingDrain = true;
        return n > 0;
    }

    private void closeFile() {
        SendableFile done = file;
        file = null;
        if (done != null) {
            done.close();
        }
    }

    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            connection.execute(() -> onTask(() -> retryScheduled = false));
        }
    }

    private void endStream() {
        closeSource();
        streaming = null;
    }

    private void closeSource() {
        BodySource done = source;
        source = null;
        if (done != null) {
            try {
                done.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the body source of " + describe() + " failed", e);
            }
        }
    }

    /**
     * A stream that cannot go on: its framing can no longer be kept, so the connection closes
     * after what was sent, and the peer sees the answer end short.
     * A failing user source is reported as a failing route is; a malformed request body is the peer's fault.
     */
    private void cutStream(Exception cause, boolean report) {
        if (report) {
            LOG.log(System.Logger.Level.WARNING, "the answer stream of " + describe() + " failed; connection cut", cause);
            reportError(cause);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "a malformed streamed body on " + describe() + ": " + cause.getMessage());
        }
        closeSource();
        closeAfterAnswer();
        if (accessLog != null) {
            accessLog.answered(connection, request, answerStatus, answerBodyBytes, System.nanoTime() - requestStartNanos);
        }
    }

    private void finishRequest() {
        if (accessLog != null) {
            accessLog.answered(connection, request, answerStatus, answerBodyBytes, System.nanoTime() - requestStartNanos);
        }
        parser.reset();
        request.releaseLargeBody();
        streamedBody.releaseLarge();
        route = null;
        if (request.keepAlive && !peerDone) {
            state = State.IDLE;
            connection.activity(Activity.IDLE);
            idleFromBatchEnd = true;
        } else {
            closeAfterAnswer();
        }
    }

    /**
     * The route's answer. A route that throws or answers null is logged and reported, and gets
     * the error handler's answer (500 by default) and a close; a {@link BadRequestException} is 400.
     */
    private HttpResponse invoke(HttpHandler handler) {
        try {
            HttpResponse response = handler.handle(request);
            return response != null ? response : routeFailed(nullAnswer());
        } catch (BadRequestException e) {
            return Router.BAD_REQUEST;
        } catch (RuntimeException e) {
            return routeFailed(e);
        }
    }

    private HttpResponse receiverAnswer() {
        return invoke(any -> request.streamedBody.receiverEnd());
    }

    private IllegalStateException nullAnswer() {
        return new IllegalStateException("the route for " + request.method() + " " + request.path()
                + " returned no response (null)");
    }

    private HttpResponse routeFailed(RuntimeException error) {
        request.keepAlive = false;
        LOG.log(System.Logger.Level.WARNING, "the route for " + request.method() + " " + request.path()
                + " failed on the connection " + describe()
                + (router.hasErrorHandler() ? "; answered by the error handler" : "; answered 500"), error);
        reportError(error);
        return router.failed(request, error);
    }

    private void reportError(Throwable error) {
        try {
            onError.accept(connection, error);
        } catch (RuntimeException | Error hookFailure) {
            LOG.log(System.Logger.Level.WARNING, "the error hook failed", hookFailure);
        }
    }

    String describe() {
        return connection.localAddress() + " <- " + connection.remoteAddress();
    }

    private void resumeBody() {
        if (state == State.ANSWER && request.streamedBody != null && streamedBody.paused()) {
            streamedBody.resume();
            streamedBody.pushPending();
        }
    }

    private void refuse(HttpException e) {
        boolean headWhole = state == State.BODY || state == State.ANSWER;
        closeSource();
        closeFile();
        closeAfterAnswer();
        HttpResponse refusal = HttpResponse.status(e.status());
        boolean withBody = !parser.headRequest();
        writer.answerAndClose(refusal, withBody);
        if (accessLog != null) {
            accessLog.answered(connection, headWhole ? request : null, refusal.status(),
                    withBody ? refusal.streamLength : 0, System.nanoTime() - requestStartNanos);
        }
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
    private void scheduleCheck(long delayNanos) {
        timer = connection.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (!connection.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long pending = connection.pendingOutputBytes();
        if (pending > 0 && pending != pendingAtLastCheck) {
            deadlineNanos = Math.max(deadlineNanos, now + limits.idleTimeout().toNanos());
        }
        pendingAtLastCheck = pending;
        account();
        long left = deadlineNanos - now;
        if (left <= 0 || bodyTooSlow(now)) {
            connection.abort();
        } else {
            scheduleCheck(Math.min(left, checkEveryNanos));
        }
    }

    /** With a minimum body rate: a body (buffered or streamed) that, past the body timeout, has averaged less. */
    private boolean bodyTooSlow(long now) {
        long elapsed = now - bodyStartNanos;
        boolean arriving = state == State.BODY
                || state == State.ANSWER && request.streamedBody != null && !streamedBody.decodedAll();
        return arriving && limits.minBodyBytesPerSecond() > 0 && expectsBody()
                && elapsed > limits.bodyTimeout().toNanos()
                && parser.bodyReceived() * 1_000_000_000.0 / elapsed < limits.minBodyBytesPerSecond();
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        exchange++;
        if (timer != null) {
            timer.cancel();
        }
        closeSource();
        closeFile();
        if (request.streamedBody != null && !streamedBody.finished()) {
            streamedBody.discardRest();
        }
        request.releaseBody();
        account();
    }
}
