package io.jepoll.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The body of a request on a streaming route, decoded as it arrives and handed on by pull (the
 * answer's {@link BodySource}) or by push (a {@link BodyReceiver}). While nobody takes it (the
 * handler answers later, the answer's peer is not reading, the receiver is behind), the decoded
 * bytes are buffered here up to the body limit; past it the connection stops consuming input, so
 * the peer meets TCP back-pressure. That buffer is what lets a client that sends its whole body
 * before reading the answer work up to the limit. Loop thread only.
 */
final class RequestBody implements BodySource {

    /** Thrown out of {@link #read} for a body that breaks the framing rules. */
    static final class MalformedBody extends IOException {
        private static final long serialVersionUID = 1L;
        final transient HttpException cause;

        MalformedBody(HttpException cause) {
            super(cause.getMessage());
            this.cause = cause;
        }
    }

    private enum Taker { NOBODY, PULL, PUSH, DISCARD }

    private final RequestParser parser;
    private final HttpRequest request;
    private final int limit;
    private byte[] buffer = new byte[0];
    private int start;
    private int end;
    /** The last byte of the body has been decoded from the wire (it may still sit in the buffer). */
    private boolean decoded;
    private Taker taker = Taker.NOBODY;
    private BodyReceiver receiver;
    private boolean paused;
    /** The connection's input during its onData call, else null. */
    private ByteBuffer input;
    private ByteBuffer pullInto;

    private final BodySink intoBuffer = new BodySink() {
        @Override
        public long room() {
            return limit - (end - start);
        }

        @Override
        public void take(ByteBuffer in, int n) {
            makeRoom(n);
            in.get(buffer, end, n);
            end += n;
        }
    };

    private final BodySink intoPull = new BodySink() {
        @Override
        public long room() {
            return pullInto.remaining();
        }

        @Override
        public void take(ByteBuffer in, int n) {
            pullInto.put(pullInto.position(), in, in.position(), n);
            pullInto.position(pullInto.position() + n);
            in.position(in.position() + n);
        }
    };

    private final BodySink intoReceiver = new BodySink() {
        @Override
        public long room() {
            return paused ? 0 : Long.MAX_VALUE;
        }

        @Override
        public void take(ByteBuffer in, int n) {
            ByteBuffer chunk = in.slice(in.position(), n).asReadOnlyBuffer();
            in.position(in.position() + n);
            paused = !receiver.onBody(chunk);
        }
    };

    private final BodySink dropping = new BodySink() {
        @Override
        public long room() {
            return Long.MAX_VALUE;
        }

        @Override
        public void take(ByteBuffer in, int n) {
            in.position(in.position() + n);
        }
    };

    RequestBody(RequestParser parser, HttpRequest request, long limit) {
        this.parser = parser;
        this.request = request;
        this.limit = (int) limit;
    }

    /** A new body begins; {@code empty} when the request has none. */
    void begin(boolean empty) {
        start = 0;
        end = 0;
        decoded = empty;
        taker = Taker.NOBODY;
        receiver = null;
        paused = false;
    }

    /** Drops a buffer grown past 64 KiB, as a buffered body's array is, once the request is answered. */
    void releaseLarge() {
        if (buffer.length > 64 * 1024) {
            buffer = new byte[0];
        }
        receiver = null;
    }

    /** The body has been taken whole: decoded to its last byte and nothing left in the buffer. */
    boolean finished() {
        return decoded && start == end;
    }

    /** The last byte of the body has come off the wire. */
    boolean decodedAll() {
        return decoded;
    }

    /** The bytes its buffer takes in memory, whatever it holds now. */
    int capacity() {
        return buffer.length;
    }

    /** The handler takes the body by pulling it. */
    BodySource pull() {
        claim(Taker.PULL);
        return this;
    }

    /** The handler takes the body by push. */
    void push(BodyReceiver receiver) {
        claim(Taker.PUSH);
        this.receiver = receiver;
    }

    private void claim(Taker wanted) {
        if (taker != Taker.NOBODY) {
            throw new IllegalStateException("the request body is already taken");
        }
        taker = wanted;
    }

    boolean pushed() {
        return taker == Taker.PUSH;
    }

    /** The receiver's answer, once the body has ended. */
    HttpResponse receiverEnd() {
        return receiver.onEnd();
    }

    /** The answer is complete and nobody took the rest of the body: read and drop it, so that the connection can go on. */
    void discardRest() {
        if (taker == Taker.PUSH && !finished()) {
            receiver.onAbort();
        }
        taker = Taker.DISCARD;
        start = end;
    }

    /** Resumes a receiver that said it was behind. */
    void resume() {
        paused = false;
    }

    boolean paused() {
        return paused;
    }

    /**
     * Moves the body on with the connection's input: pushes what a receiver takes, drops what is
     * discarded, buffers the rest up to the limit. The input stays lent to {@link #read} until
     * {@link #endInput}.
     *
     * @return whether anything was consumed or handed on
     */
    boolean feed(ByteBuffer in) throws HttpException {
        int before = in.position();
        int bufferedBefore = end - start;
        if (taker == Taker.PUSH) {
            pushBuffered();
        }
        if (!decoded) {
            BodySink sink = taker == Taker.DISCARD ? dropping
                    : taker == Taker.PUSH && !paused && start == end ? intoReceiver : intoBuffer;
            decoded = parser.readBody(in, request, sink);
        }
        return in.position() != before || end - start != bufferedBefore;
    }

    /** Lends the connection's input to {@link #read}, for the duration of its onData call. */
    void lend(ByteBuffer in) {
        input = in;
    }

    /** What a receiver that was behind has not had yet, once it resumed. */
    void pushPending() {
        if (taker == Taker.PUSH) {
            pushBuffered();
        }
    }

    /** The connection's input is no longer lent: it is only valid during onData. */
    void endInput() {
        input = null;
    }

    /** What a receiver has not had of the buffer, while it is not behind. */
    private void pushBuffered() {
        while (!paused && start < end) {
            int n = end - start;
            ByteBuffer chunk = ByteBuffer.wrap(buffer, start, n).slice().asReadOnlyBuffer();
            start = end;
            paused = !receiver.onBody(chunk);
        }
    }

    /** The pulled body: what is buffered, then what the current input holds, decoded straight into {@code dst}. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int from = dst.position();
        if (start < end) {
            int n = Math.min(dst.remaining(), end - start);
            dst.put(buffer, start, n);
            start += n;
        }
        if (!decoded && input != null && dst.hasRemaining() && start == end) {
            pullInto = dst;
            try {
                decoded = parser.readBody(input, request, intoPull);
            } catch (HttpException e) {
                throw new MalformedBody(e);
            } finally {
                pullInto = null;
            }
        }
        int n = dst.position() - from;
        return n > 0 ? n : finished() ? -1 : 0;
    }

    private void makeRoom(int n) {
        if (end + n <= buffer.length) {
            return;
        }
        int held = end - start;
        if (held + n <= buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, held);
        } else {
            byte[] bigger = new byte[(int) Math.min(limit, Math.max(held + n, Math.max(4096, buffer.length * 2L)))];
            System.arraycopy(buffer, start, bigger, 0, held);
            buffer = bigger;
        }
        start = 0;
        end = held;
    }
}
