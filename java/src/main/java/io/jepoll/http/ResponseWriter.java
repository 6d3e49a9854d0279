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
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] ECHO_HEAD = "HTTP/1.1 200 OK\r\nServer: jepoll\r\nContent-Type: "
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OCTET_STREAM = "application/octet-stream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    /** A chunk's size line, fixed width: eight hex digits (leading zeros are valid) and CRLF. */
    private static final int CHUNK_HEAD = 10;
    /** A streamed body is pulled only into at least this much room: smaller pieces would cost a write each. */
    private static final int MIN_BODY_ROOM = 2048;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Connection connection;
    private ByteBuffer batch;
    /** False while the connection's output is over its high-water mark: answer no more requests. */
    private boolean writable = true;
    private long sends;
    /** Where the room {@link #bodyRoom} gave begins. */
    private int roomFrom;
    /**
     * The Date line of the answers gathered since the last send: the clock is read once per
     * batch (a syscall-priced read on some machines), not once per pipelined answer.
     */
    private byte[] dateLine;

    /** Starts a batch in {@code scratch} (empty, as the connection lends it), which stays this writer's until {@link #end}. */
    void begin(Connection connection, ByteBuffer scratch) {
        this.connection = connection;
        this.batch = scratch;
        this.dateLine = null;
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

    /**
     * The head of a streamed answer: {@code Transfer-Encoding: chunked} when {@code chunked}
     * (a stream of unknown length to an HTTP/1.1 client), {@code Connection} as for {@link #answer}.
     */
    void head(HttpRequest request, HttpResponse response, boolean chunked) {
        if (response == HttpResponse.ECHO_BODY) {
            echoHead(request, chunked);
        } else {
            append(response.head);
        }
        append(dateLine());
        if (chunked) {
            append(CHUNKED);
        }
        byte[] connectionHeader = !request.keepAlive ? CLOSE : request.minorVersion == 0 ? KEEP_ALIVE : null;
        if (connectionHeader != null) {
            append(connectionHeader);
        }
        append(CRLF);
    }

    /** The fixed part of an echo's head, built from the request's bytes: its content type, its length. */
    private void echoHead(HttpRequest request, boolean chunked) {
        append(ECHO_HEAD);
        int type = request.indexOf("Content-Type", 0);
        if (type < 0) {
            append(OCTET_STREAM);
        } else {
            int from = request.valueStart[type];
            int length = request.valueEnd[type] - from;
            if (length + 64 > batch.remaining()) {
                send();
            }
            if (length > batch.remaining()) {
                append(OCTET_STREAM);
            } else {
                batch.put(request.head, from, length);
            }
        }
        append(CRLF);
        if (!chunked) {
            append(CONTENT_LENGTH);
            appendDecimal(Math.max(0, request.contentLength));
            append(CRLF);
        }
    }

    private void appendDecimal(long value) {
        if (batch.remaining() < 20) {
            send();
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        int at = batch.position();
        long rest = value;
        for (int i = digits - 1; i >= 0; i--) {
            batch.put(at + i, (byte) ('0' + rest % 10));
            rest /= 10;
        }
        batch.position(at + digits);
    }

    /**
     * Room in the batch for the next piece of a streamed body: the batch itself, from the room's
     * start to its end (no view is made: an echo allocates nothing); {@link #bodyWritten} then
     * commits what was put, and must follow. Sends the batch first when it is nearly full.
     */
    ByteBuffer bodyRoom(boolean chunked) {
        int framing = chunked ? CHUNK_HEAD + CRLF.length : 0;
        if (batch.remaining() < MIN_BODY_ROOM + framing) {
            send();
        }
        roomFrom = batch.position() + (chunked ? CHUNK_HEAD : 0);
        batch.limit(batch.capacity() - (chunked ? CRLF.length : 0)).position(roomFrom);
        return batch;
    }

    /**
     * Commits {@code n} bytes (0 for none) put into the room {@link #bodyRoom} gave, framed as a
     * chunk when {@code chunked}; the batch is whole again afterwards.
     */
    void bodyWritten(int n, boolean chunked) {
        batch.limit(batch.capacity());
        int at = roomFrom - (chunked ? CHUNK_HEAD : 0);
        if (n <= 0) {
            batch.position(at);
            return;
        }
        if (chunked) {
            for (int i = 7; i >= 0; i--) {
                batch.put(at + 7 - i, HEX[(n >>> (i * 4)) & 0xF]);
            }
            batch.put(at + 8, (byte) '\r').put(at + 9, (byte) '\n');
            batch.put(at + CHUNK_HEAD + n, (byte) '\r').put(at + CHUNK_HEAD + n + 1, (byte) '\n');
            batch.position(at + CHUNK_HEAD + n + CRLF.length);
        } else {
            batch.position(at + n);
        }
    }

    /** The end of a chunked body: the last chunk, no trailers. */
    void lastChunk() {
        append(LAST_CHUNK);
    }

    /** Sends what the batch holds now: what follows goes to the socket by another way (sendfile). */
    void sendNow() {
        send();
    }

    /** Where the batch has got to: {@link #rollBack} returns there while nothing was sent since. */
    int mark() {
        return batch.position();
    }

    /** How many times the batch went to the connection: a mark is good only while this stays the same. */
    long sends() {
        return sends;
    }

    /** Drops what was added to the batch since {@code mark}, which must be from the current send. */
    void rollBack(int mark) {
        batch.position(mark);
    }

    /** An answer after which the connection closes: a refused request. */
    void answerAndClose(HttpResponse response, boolean withBody) {
        write(response, withBody, CLOSE);
    }

    private void write(HttpResponse response, boolean withBody, byte[] connectionHeader) {
        if (withBody && connectionHeader == null) {
            byte[] whole = response.wholeAnswer(dateLine());
            if (whole != null) {
                append(whole);
                return;
            }
        }
        append(response.head);
        append(dateLine());
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

    private byte[] dateLine() {
        if (dateLine == null) {
            dateLine = HttpDate.line();
        }
        return dateLine;
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
        dateLine = null;
        if (batch.position() > 0) {
            sends++;
            writable = connection.write(batch.flip());
            batch.clear();
        }
    }
}
