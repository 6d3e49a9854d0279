package io.jepoll.http;

import io.jepoll.net.SendableFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A response: status, headers and a body, immutable; or a stream, whose body is pulled as the
 * peer reads it ({@link #stream}). Its status line and fixed headers
 * (including {@code Server}, {@code Content-Type} and {@code Content-Length}) are encoded
 * once, when it is made, so a response kept in a constant costs nothing per request. The
 * server adds {@code Date} and, where needed, {@code Connection}.
 *
 * <pre>{@code
 * HttpResponse.text("hello\n")
 * HttpResponse.of(201, "application/json", bytes).withHeader("Location", "/items/7")
 * HttpResponse.status(404)
 * }</pre>
 */
public final class HttpResponse {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(201, "Created"),
            Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(206, "Partial Content"), Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"), Map.entry(416, "Range Not Satisfiable"),
            Map.entry(417, "Expectation Failed"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"), Map.entry(505, "HTTP Version Not Supported"));

    private final int status;
    private final String contentType;
    private final String extraHeaders;
    private final ByteBuffer body;
    /** A stream's body, pulled as the peer reads; null for a body of bytes. */
    final BodySource source;
    /** A stream's length, or -1 for a stream of unknown length (sent chunked). */
    final long streamLength;
    /** A region of a file sent from where it lies (sendfile), {@link #streamLength} bytes from {@link #filePosition}; else null. */
    final SendableFile file;
    final long filePosition;
    /** For an answer that comes later: the stage it comes from; null for every other response. */
    final CompletionStage<? extends HttpResponse> later;
    final byte[] head;

    private HttpResponse(int status, String contentType, String extraHeaders, ByteBuffer body) {
        this(status, contentType, extraHeaders, body, null, body.remaining());
    }

    private HttpResponse(int status, String contentType, String extraHeaders, ByteBuffer body, BodySource source,
            long length) {
        this(status, contentType, extraHeaders, body, source, length, null, 0);
    }

    private HttpResponse(int status, String contentType, String extraHeaders, ByteBuffer body, BodySource source,
            long length, SendableFile file, long filePosition) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be three digits: " + status);
        }
        this.status = status;
        this.contentType = contentType;
        this.extraHeaders = extraHeaders;
        this.body = body.asReadOnlyBuffer();
        this.source = source;
        this.streamLength = source == null && file == null ? body.remaining() : length;
        this.file = file;
        this.filePosition = filePosition;
        this.later = null;
        StringBuilder h = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\nServer: jepoll\r\n");
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (status >= 200 && status != 204 && status != 304 && length >= 0) {
            h.append("Content-Length: ").append(length).append("\r\n");
        }
        this.head = h.append(extraHeaders).toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private HttpResponse(CompletionStage<? extends HttpResponse> later) {
        this.status = 0;
        this.contentType = null;
        this.extraHeaders = "";
        this.body = ByteBuffer.allocate(0);
        this.source = null;
        this.streamLength = 0;
        this.file = null;
        this.filePosition = 0;
        this.later = later;
        this.head = new byte[0];
    }

    /**
     * The request's own body, streamed back as it arrives, with its {@code Content-Type} and its
     * framing (its length, or chunked): the built-in {@code POST /echo}. One shared instance whose
     * head the writer builds from the request, so that an echo allocates nothing.
     */
    static final HttpResponse ECHO_BODY = new HttpResponse(200, null, "", ByteBuffer.allocate(0),
            dst -> -1, -1);

    /** The answer of a {@link BodyReceiver}: it comes from {@link BodyReceiver#onEnd} when the body ends. */
    static final HttpResponse AFTER_BODY = later(new java.util.concurrent.CompletableFuture<>());

    /** An answer that comes when {@code stage} completes: how asynchronous and blocking routes answer. */
    static HttpResponse later(CompletionStage<? extends HttpResponse> stage) {
        return new HttpResponse(Objects.requireNonNull(stage, "stage"));
    }

    /**
     * A response whose body is {@code count} bytes of {@code file} from {@code position}, sent
     * from where they lie (sendfile) as the socket takes them; the connection closes the file
     * once sent or abandoned.
     */
    static HttpResponse file(int status, String contentType, SendableFile file, long position, long count) {
        return new HttpResponse(status, contentType, "", ByteBuffer.allocate(0), null, count,
                Objects.requireNonNull(file, "file"), position);
    }

    /**
     * {@return a response whose body is pulled from {@code source} as the peer reads it} Sent
     * with {@code Content-Length} when the length is known, else chunked (to an HTTP/1.0 client:
     * until the connection closes). The source is read on the connection's loop, never further
     * ahead than the connection's high-water mark, and closed once done or abandoned (a HEAD
     * request gets the head only). A source that ends short of the length, or goes past it, cuts
     * the connection: its framing cannot be repaired.
     *
     * @param status the status code, three digits
     * @param contentType the {@code Content-Type}, or null for none
     * @param length the body's length in bytes, or -1 when unknown
     * @param source the body
     * @throws IllegalArgumentException when the status is not three digits
     */
    public static HttpResponse stream(int status, String contentType, long length, BodySource source) {
        return new HttpResponse(status, contentType, "", ByteBuffer.allocate(0), Objects.requireNonNull(source, "source"),
                Math.max(-1, length));
    }

    /**
     * {@return 200 with a UTF-8 text/plain body}
     *
     * @param body the text
     */
    public static HttpResponse text(String body) {
        return of(200, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return a response with a copy of {@code body}}
     *
     * @param status the status code, three digits
     * @param contentType the {@code Content-Type}, or null for none
     * @param body the body's bytes
     * @throws IllegalArgumentException when the status is not three digits
     */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return of(status, contentType, ByteBuffer.wrap(body.clone()));
    }

    /**
     * {@return a response with {@code body}'s remaining bytes, as they are: not copied}
     *
     * @param status the status code, three digits
     * @param contentType the {@code Content-Type}, or null for none
     * @param body the body's bytes, from its position to its limit; don't change them afterwards
     * @throws IllegalArgumentException when the status is not three digits
     */
    public static HttpResponse of(int status, String contentType, ByteBuffer body) {
        return new HttpResponse(status, contentType, "", body.slice());
    }

    /**
     * {@return the status with its reason phrase as a text/plain body, e.g. {@code 404 Not Found}}
     *
     * @param status the status code, three digits
     * @throws IllegalArgumentException when the status is not three digits
     */
    public static HttpResponse status(int status) {
        String text = status + " " + reason(status) + "\n";
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@return this response with one more header}
     *
     * @param name a token (RFC 9110), not one the server sets itself ({@code Content-Length},
     *     {@code Transfer-Encoding}, {@code Connection}, {@code Date})
     * @param value one line of ISO-8859-1 characters; surrounding white space is dropped
     * @throws IllegalArgumentException when the name or the value is not allowed
     */
    public HttpResponse withHeader(String name, String value) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0x7F || !Ascii.tchar((byte) name.charAt(i))) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !Ascii.fieldValue((byte) c)) {
                throw new IllegalArgumentException("invalid character in the value of " + name);
            }
        }
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date")) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        if (later != null) {
            throw new IllegalStateException("an answer that comes later has no headers of its own");
        }
        return new HttpResponse(status, contentType, extraHeaders + name + ": " + value.strip() + "\r\n", body,
                source, streamLength, file, filePosition);
    }

    /** {@return the status code} */
    public int status() {
        return status;
    }

    /** {@return the body, read-only; empty for a stream} */
    public ByteBuffer body() {
        return body.duplicate();
    }

    ByteBuffer bodyView() {
        return body;
    }

    /** A whole answer kept for one Date line; immutable, so that loops may share it without locks. */
    private record WholeAnswer(byte[] dateLine, byte[] bytes) {
    }

    /** The largest body kept in a {@link WholeAnswer}. */
    private static final int WHOLE_ANSWER_MAX_BODY = 4096;

    /** The Date line this response was last answered with, by any loop (a racy hint: at worst one more miss). */
    private byte[] lastDateLine;
    private WholeAnswer wholeAnswer;

    /**
     * This response answered with {@code dateLine} and without a {@code Connection} header, as
     * one array: head, Date line, the blank line and the body, so that a response kept in a
     * constant is one copy into the batch instead of four. Made on the second answer within the
     * same Date line: a response made per request never pays for it.
     *
     * @return the whole answer, or null (the first answer with this Date line, or not a small body)
     */
    byte[] wholeAnswer(byte[] dateLine) {
        WholeAnswer kept = wholeAnswer;
        if (kept != null && kept.dateLine == dateLine) {
            return kept.bytes;
        }
        if (source != null || file != null || later != null || body.remaining() > WHOLE_ANSWER_MAX_BODY) {
            return null;
        }
        if (lastDateLine != dateLine) {
            lastDateLine = dateLine;
            return null;
        }
        byte[] whole = new byte[head.length + dateLine.length + 2 + body.remaining()];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(dateLine, 0, whole, head.length, dateLine.length);
        int at = head.length + dateLine.length;
        whole[at] = '\r';
        whole[at + 1] = '\n';
        body.get(body.position(), whole, at + 2, body.remaining());
        wholeAnswer = new WholeAnswer(dateLine, whole);
        return whole;
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error");
    }
}
