package io.jepoll.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112), strict on input. Bytes may arrive split
 * anywhere: {@link #parseHead} waits, consuming nothing, until a whole head is there, then
 * copies it into the request and parses it in one pass; {@link #readBody} consumes body bytes
 * as they come, a chunked body through its {@link ChunkedDecoder}. Every rule broken is an
 * {@link HttpException} with the status to answer; nothing is buffered past the {@link HttpLimits}.
 */
final class RequestParser {

    /** Method.values() copies its array on every call; the parser looks methods up per request. */
    private static final HttpRequest.Method[] METHODS = HttpRequest.Method.values();
    private static final String[] SCHEMES = {"http://", "https://"};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** How far the request line's shape has been checked: its method, its target, its version. */
    private enum LinePart { METHOD, TARGET, VERSION }

    /** The first piece of input copied for a head: a typical request's head or a little more. */
    private static final int FIRST_PIECE = 128;

    private static final byte[] VERSION_SHAPE = "HTTP/0.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final HttpLimits limits;
    private int scanned;
    /** How many of the head's bytes (from the input's position) are copied into the request's head array. */
    private int copied;
    private LinePart linePart = LinePart.METHOD;
    private int linePartStart;
    /** Where the request line's method and target end (at the space after each), as the scan found them. */
    private int methodEnd;
    private int targetEnd;
    private int requestLineEnd = -1;
    private int lineStart;
    private boolean headRequest;
    private final ChunkedDecoder chunkedBody;
    /** Body bytes read so far (Content-Length bodies), and whether this body is streamed rather than buffered. */
    private long received;
    private boolean streamed;

    RequestParser(HttpLimits limits) {
        this.limits = limits;
        this.chunkedBody = new ChunkedDecoder(limits);
    }

    /** Forgets the request just finished; the next byte starts a new one. */
    void reset() {
        scanned = 0;
        copied = 0;
        linePart = LinePart.METHOD;
        linePartStart = 0;
        requestLineEnd = -1;
        lineStart = 0;
        headRequest = false;
        received = 0;
        streamed = false;
        chunkedBody.reset();
    }

    /**
     * Looks for a complete head at {@code in}'s position. When there is one, consumes it,
     * fills {@code request} and returns true; otherwise consumes nothing and returns false.
     *
     * <p>The head's bytes are copied into the request as the scan reaches them, a growing piece
     * at a time, and scanned there: a heap array is scanned several times faster than a direct
     * buffer, and the copy is one the head needs anyway. Bytes of the next pipelined requests
     * are copied at most once more (the first piece is small).
     */
    boolean parseHead(ByteBuffer in, HttpRequest request) throws HttpException {
        skipEmptyLines(in);
        if (scanned == 0) {
            // Empty lines skipped just now moved the head's start: nothing copied before holds.
            copied = 0;
        }
        int start = in.position();
        int available = in.limit() - start;
        if (copied > available) {
            // The layer below dropped bytes it had offered (a handler's unconsumed input is offered
            // again, with more): scanning on would never end. Its connection fails, loudly.
            throw new IllegalStateException("the input shrank to " + available + " bytes under a head of which "
                    + copied + " were seen");
        }
        int max = limits.maxHeaderBytes();
        // One byte past the limit is looked at: a CR at the limit's last byte needs its LF.
        int copyLimit = Math.min(available, max + 1);
        int headLength;
        while (true) {
            if (copied < copyLimit) {
                int copyEnd = Math.min(copyLimit, Math.max(copied + FIRST_PIECE, copied * 2));
                if (request.head.length < copyEnd) {
                    request.head = Arrays.copyOf(request.head, Math.max(copyEnd,
                            Math.min(request.head.length * 2, max + 1)));
                }
                in.get(start + copied, request.head, copied, copyEnd - copied);
                copied = copyEnd;
            }
            headLength = scan(request.head, Math.min(copied, max), available);
            if (headLength >= 0 || copied == copyLimit) {
                break;
            }
        }
        if (headLength < 0) {
            if (available > max) {
                throw new HttpException(431, "head over " + max + " bytes");
            }
            return false;
        }
        request.reset();
        request.maxBufferedBody = limits.maxBodyBytes();
        in.position(start + headLength);
        request.headLength = headLength;
        parseRequestLine(request, requestLineEnd);
        parseHeaderLines(request, requestLineEnd + 2, headLength - 2);
        return true;
    }

    /**
     * Scans {@code h} from {@link #scanned} up to {@code end} for the blank line that ends the
     * head: checks the request line's shape byte by byte, and that every CR is followed by LF and
     * every LF preceded by CR (the field lines' other bytes are checked once the head is whole).
     *
     * @param end where to stop: the end of what is copied, or the head limit
     * @param available how many bytes the input holds: a CR at its very end waits for the next
     * @return the head's length, or -1 when it is not whole yet (or more must be copied)
     */
    private int scan(byte[] h, int end, int available) throws HttpException {
        int i = requestLineEnd < 0 ? scanRequestLine(h, end, available) : scanned;
        if (requestLineEnd < 0) {
            return -1;
        }
        int line = lineStart;
        while (i < end) {
            i = nextCrOrLf(h, i, end);
            if (i == end) {
                break;
            }
            byte b = h[i];
            if (b == '\r') {
                if (i + 1 == available || i + 1 == copied) {
                    // Its LF has not arrived, or is in the next piece to copy.
                    break;
                }
                if (h[i + 1] != '\n') {
                    throw new HttpException(400, "bare CR");
                }
                if (i == line) {
                    if (i + 2 > limits.maxHeaderBytes()) {
                        // Its last LF is the byte past the limit, looked at for a CR before it.
                        throw new HttpException(431, "head over " + limits.maxHeaderBytes() + " bytes");
                    }
                    scanned = i + 2;
                    lineStart = i + 2;
                    return i + 2;
                }
                i += 2;
                line = i;
            } else {
                throw new HttpException(400, "bare LF");
            }
        }
        scanned = i;
        lineStart = line;
        return -1;
    }

    /**
     * The index of the first CR or LF in {@code h} from {@code from}, or {@code end}: eight bytes
     * at a time, a byte equal to CR or LF found as a zero byte of the word XORed with it.
     */
    private static int nextCrOrLf(byte[] h, int from, int end) {
        int i = from;
        while (i + Long.BYTES <= end) {
            long word = (long) LONGS.get(h, i);
            long cr = word ^ 0x0D0D_0D0D_0D0D_0D0DL;
            long lf = word ^ 0x0A0A_0A0A_0A0A_0A0AL;
            // A zero byte's high bit (exact for the lowest zero byte, which is the one wanted).
            long found = ((cr - 0x0101_0101_0101_0101L) & ~cr | (lf - 0x0101_0101_0101_0101L) & ~lf)
                    & 0x8080_8080_8080_8080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < end && h[i] != '\r' && h[i] != '\n') {
            i++;
        }
        return i;
    }

    /**
     * The request line's part of {@link #scan}: each byte is checked as it comes, so that junk
     * is refused at once; runs of method and target characters are passed over in tight loops.
     * Sets {@link #requestLineEnd} once the line's CRLF is there.
     *
     * @return where the scan got to
     */
    private int scanRequestLine(byte[] h, int end, int available) throws HttpException {
        if (scanned == 0) {
            int lineEnd = nextCrOrLf(h, 0, end);
            if (lineEnd + 1 < end && h[lineEnd] == '\r' && h[lineEnd + 1] == '\n'
                    && wellFormedRequestLine(h, lineEnd)) {
                requestLineEnd = lineEnd;
                lineStart = lineEnd + 2;
                scanned = lineEnd + 2;
                return lineEnd + 2;
            }
        }
        int lineLimit = Math.min(end, limits.maxRequestLineBytes());
        int i = scanned;
        while (i < end) {
            if (linePart == LinePart.METHOD) {
                while (i < lineLimit && Ascii.tchar(h[i])) {
                    i++;
                }
            } else if (linePart == LinePart.TARGET) {
                while (i < lineLimit && Ascii.target(h[i])) {
                    i++;
                }
            }
            if (i == end) {
                break;
            }
            byte b = h[i];
            checkRequestLineByte(b, i);
            if (b == '\r') {
                if (i + 1 == available || i + 1 == copied) {
                    break;
                }
                if (h[i + 1] != '\n') {
                    throw new HttpException(400, "bare CR");
                }
            } else if (b == '\n') {
                if (i == 0 || h[i - 1] != '\r') {
                    throw new HttpException(400, "bare LF");
                }
                requestLineEnd = i - 1;
                lineStart = i + 1;
                scanned = i + 1;
                return i + 1;
            } else if (i + 1 > limits.maxRequestLineBytes()) {
                throw new HttpException(414, "request line over " + limits.maxRequestLineBytes() + " bytes");
            }
            i++;
        }
        scanned = i;
        return i;
    }

    /**
     * Whether the request line {@code h[0, end)} is whole and has the shape that
     * {@link #checkRequestLineByte} checks byte by byte (token, SP, target, SP, HTTP/d.d) within
     * the limit: then it is passed in one go, noting where its method and target end, and only a
     * line that is not is checked byte by byte, for the error it gets.
     */
    private boolean wellFormedRequestLine(byte[] h, int end) {
        if (end > limits.maxRequestLineBytes()) {
            return false;
        }
        int i = 0;
        while (i < end && Ascii.tchar(h[i])) {
            i++;
        }
        if (i == 0 || i == end || h[i] != ' ') {
            return false;
        }
        int targetStart = ++i;
        while (i < end && Ascii.target(h[i])) {
            i++;
        }
        if (i == targetStart || i == end || h[i] != ' ') {
            return false;
        }
        methodEnd = targetStart - 1;
        targetEnd = i;
        int v = i + 1;
        return end - v == VERSION_SHAPE.length && h[v] == 'H' && h[v + 1] == 'T' && h[v + 2] == 'T'
                && h[v + 3] == 'P' && h[v + 4] == '/' && digit(h[v + 5]) && h[v + 6] == '.' && digit(h[v + 7]);
    }

    /**
     * Refuses a request line as soon as a byte cannot belong to it, rather than once its head
     * is whole: binary junk or a TLS handshake gets its 400 at the first byte, and a request
     * line without a version (HTTP/0.9) at its line end. It checks the shape (token, SP, target,
     * SP, HTTP/d.d) and notes where the method and the target end; once the head has come, only
     * the version's number and the method's name are looked at again.
     */
    private void checkRequestLineByte(byte b, int i) throws HttpException {
        switch (linePart) {
            case METHOD -> {
                if (b == '\r' && i == 0) {
                    return; // the first half of an empty line split across reads
                }
                if (b == ' ' && i > linePartStart) {
                    linePart = LinePart.TARGET;
                    linePartStart = i + 1;
                    methodEnd = i;
                } else if (!Ascii.tchar(b)) {
                    throw new HttpException(400, "malformed method");
                }
            }
            case TARGET -> {
                if (b == ' ' && i > linePartStart) {
                    linePart = LinePart.VERSION;
                    linePartStart = i + 1;
                    targetEnd = i;
                } else if (b == '\r' || b == '\n') {
                    throw new HttpException(400, "request line without an HTTP version");
                } else if (!Ascii.target(b)) {
                    throw new HttpException(400, "malformed request target");
                }
            }
            case VERSION -> {
                int k = i - linePartStart;
                boolean fits = k < VERSION_SHAPE.length
                        ? (VERSION_SHAPE[k] == '0' ? digit(b) : b == VERSION_SHAPE[k])
                        : k == VERSION_SHAPE.length && (b == '\r' || b == '\n') || k == VERSION_SHAPE.length + 1;
                if (!fits) {
                    throw new HttpException(400, "malformed HTTP version");
                }
            }
        }
    }

    /**
     * Consumes the empty lines before a request line: RFC 9112 section 2.2 says to ignore them,
     * and so they start no request (nor its header timer).
     */
    void skipEmptyLines(ByteBuffer in) {
        while (scanned == 0 && in.remaining() >= 2 && in.get(in.position()) == '\r'
                && in.get(in.position() + 1) == '\n') {
            in.position(in.position() + 2);
        }
    }

    /** Whether the request being parsed is a HEAD, as far as its request line got: its error answer has no body. */
    boolean headRequest() {
        return headRequest;
    }

    /** The request line, whose shape the scan checked: its method, target and version. */
    private void parseRequestLine(HttpRequest request, int end) throws HttpException {
        byte[] h = request.head;
        request.methodEnd = methodEnd;
        headRequest = methodEnd == 4 && startsWith(h, 0, "HEAD");
        request.targetStart = methodEnd + 1;
        request.targetEnd = targetEnd;
        parseVersion(request, targetEnd + 1, end);
        request.method = method(h, methodEnd);
        parseTarget(request);
    }

    private static void parseVersion(HttpRequest request, int from, int end) throws HttpException {
        byte[] h = request.head;
        if (end - from != 8 || h[from] != 'H' || h[from + 1] != 'T' || h[from + 2] != 'T' || h[from + 3] != 'P'
                || h[from + 4] != '/' || !digit(h[from + 5]) || h[from + 6] != '.' || !digit(h[from + 7])) {
            throw new HttpException(400, "malformed HTTP version");
        }
        if (h[from + 5] != '1') {
            throw new HttpException(505, "HTTP version not supported");
        }
        request.minorVersion = h[from + 7] == '0' ? 0 : 1;
    }

    private static HttpRequest.Method method(byte[] h, int length) throws HttpException {
        for (HttpRequest.Method method : METHODS) {
            String name = method.name();
            if (name.length() == length && startsWith(h, 0, name)) {
                return method;
            }
        }
        throw new HttpException(501, "method not implemented");
    }

    /** origin-form, absolute-form, or asterisk-form for OPTIONS; authority-form is CONNECT's, which is 501. */
    private static void parseTarget(HttpRequest request) throws HttpException {
        byte[] h = request.head;
        int start = request.targetStart;
        int end = request.targetEnd;
        int pathStart;
        if (h[start] == '/') {
            pathStart = start;
        } else if (h[start] == '*' && end - start == 1 && request.method == HttpRequest.Method.OPTIONS) {
            request.pathStart = start;
            request.pathEnd = end;
            return;
        } else {
            int authority = schemeEnd(h, start, end);
            if (authority < 0) {
                throw new HttpException(400, "malformed request target");
            }
            pathStart = authority;
            while (pathStart < end && h[pathStart] != '/' && h[pathStart] != '?') {
                pathStart++;
            }
            if (pathStart == authority) {
                throw new HttpException(400, "absolute-form target without a host");
            }
        }
        int pathEnd = pathStart;
        while (pathEnd < end && h[pathEnd] != '?') {
            pathEnd++;
        }
        request.pathStart = pathStart;
        request.pathEnd = pathEnd;
    }

    /** The index after {@code http://} or {@code https://} (any case), or -1. */
    private static int schemeEnd(byte[] h, int start, int end) {
        for (String scheme : SCHEMES) {
            if (end - start >= scheme.length() && startsWithIgnoreCase(h, start, scheme)) {
                return start + scheme.length();
            }
        }
        return -1;
    }

    /**
     * How far from {@code from} the bytes are visible ASCII, SP or obs-text, eight at a time: a
     * word with a byte below SP (HTAB too) or DEL stops it, and the caller checks on byte by byte.
     */
    private static int plainFieldBytes(byte[] h, int from, int end) {
        int i = from;
        while (i + Long.BYTES <= end) {
            long word = (long) LONGS.get(h, i);
            long del = word ^ 0x7F7F_7F7F_7F7F_7F7FL;
            // Some byte below 0x20, or equal to DEL: exact as a yes or no, which is all that is asked.
            long control = (word - 0x2020_2020_2020_2020L) & ~word | (del - 0x0101_0101_0101_0101L) & ~del;
            if ((control & 0x8080_8080_8080_8080L) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        return i;
    }

    private void parseHeaderLines(HttpRequest request, int from, int end) throws HttpException {
        byte[] h = request.head;
        int hosts = 0;
        boolean connectionClose = false;
        boolean connectionKeepAlive = false;
        boolean transferEncoding = false;
        int lineFrom = from;
        while (lineFrom < end) {
            // The head has no bare CR or LF: a line ends at the first of either.
            int lineEnd = nextCrOrLf(h, lineFrom, end);
            int i = addHeader(request, lineFrom, lineEnd);
            if (request.nameEquals(i, "host")) {
                hosts++;
                if (!validHost(h, request.valueStart[i], request.valueEnd[i])) {
                    throw new HttpException(400, "invalid Host");
                }
            } else if (request.nameEquals(i, "content-length")) {
                contentLength(request, i);
            } else if (request.nameEquals(i, "transfer-encoding")) {
                transferEncoding = true;
                transferEncoding(request, i);
            } else if (request.nameEquals(i, "connection")) {
                connectionClose |= hasToken(h, request.valueStart[i], request.valueEnd[i], "close");
                connectionKeepAlive |= hasToken(h, request.valueStart[i], request.valueEnd[i], "keep-alive");
            } else if (request.nameEquals(i, "expect") && request.minorVersion == 1) {
                if (!equalsIgnoreCase(h, request.valueStart[i], request.valueEnd[i], "100-continue")) {
                    throw new HttpException(417, "unsupported expectation");
                }
                request.expectContinue = true;
            }
            lineFrom = lineEnd + 2;
        }
        if (request.minorVersion == 1 ? hosts != 1 : hosts > 1) {
            throw new HttpException(400, hosts == 0 ? "missing Host" : "more than one Host");
        }
        if (transferEncoding && request.minorVersion == 0) {
            throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (transferEncoding && request.contentLength >= 0) {
            throw new HttpException(400, "both Content-Length and Transfer-Encoding");
        }
        if (transferEncoding && !request.chunked) {
            throw new HttpException(400, "Transfer-Encoding without chunked");
        }
        request.keepAlive = !connectionClose && (request.minorVersion == 1 || connectionKeepAlive);
    }

    /** Validates one field line and records it; returns its index. */
    private int addHeader(HttpRequest request, int from, int end) throws HttpException {
        byte[] h = request.head;
        if (h[from] == ' ' || h[from] == '\t') {
            throw new HttpException(400, "obsolete line folding");
        }
        int colon = from;
        while (colon < end && Ascii.tchar(h[colon])) {
            colon++;
        }
        if (colon == from || colon == end || h[colon] != ':') {
            throw new HttpException(400, colon == from ? "empty header name" : "malformed header name");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        for (int i = plainFieldBytes(h, valueStart, valueEnd); i < valueEnd; i++) {
            if (!Ascii.fieldValue(h[i])) {
                throw new HttpException(400, "invalid byte in a header value");
            }
        }
        while (valueStart < valueEnd && (h[valueStart] == ' ' || h[valueStart] == '\t')) {
            valueStart++;
        }
        while (valueEnd > valueStart && (h[valueEnd - 1] == ' ' || h[valueEnd - 1] == '\t')) {
            valueEnd--;
        }
        int i = request.headerCount;
        if (i == limits.maxHeaderCount()) {
            throw new HttpException(431, "more than " + limits.maxHeaderCount() + " headers");
        }
        if (i == request.nameStart.length) {
            request.nameStart = java.util.Arrays.copyOf(request.nameStart, i * 2);
            request.nameEnd = java.util.Arrays.copyOf(request.nameEnd, i * 2);
            request.valueStart = java.util.Arrays.copyOf(request.valueStart, i * 2);
            request.valueEnd = java.util.Arrays.copyOf(request.valueEnd, i * 2);
        }
        request.nameStart[i] = from;
        request.nameEnd[i] = colon;
        request.valueStart[i] = valueStart;
        request.valueEnd[i] = valueEnd;
        request.headerCount = i + 1;
        return i;
    }

    private static void contentLength(HttpRequest request, int i) throws HttpException {
        if (request.contentLength >= 0) {
            throw new HttpException(400, "more than one Content-Length");
        }
        byte[] h = request.head;
        int from = request.valueStart[i];
        int to = request.valueEnd[i];
        if (from == to) {
            throw new HttpException(400, "invalid Content-Length");
        }
        // Any number of digits (leading zeros are 1*DIGIT too); the value must fit.
        long value = 0;
        for (int k = from; k < to; k++) {
            if (!digit(h[k])) {
                throw new HttpException(400, "invalid Content-Length");
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                throw new HttpException(400, "Content-Length too large");
            }
            value = value * 10 + (h[k] - '0');
        }
        request.contentLength = value;
    }

    /** Only "chunked" is supported, once and last; any other coding is 501. */
    private static void transferEncoding(HttpRequest request, int i) throws HttpException {
        byte[] h = request.head;
        int k = request.valueStart[i];
        int end = request.valueEnd[i];
        while (k < end) {
            while (k < end && (h[k] == ' ' || h[k] == '\t' || h[k] == ',')) {
                k++;
            }
            int tokenStart = k;
            while (k < end && h[k] != ',' && h[k] != ' ' && h[k] != '\t') {
                k++;
            }
            if (tokenStart == k) {
                continue;
            }
            if (request.chunked) {
                throw new HttpException(400, "chunked is not the final transfer coding");
            }
            if (!equalsIgnoreCase(h, tokenStart, k, "chunked")) {
                throw new HttpException(501, "unsupported transfer coding");
            }
            request.chunked = true;
        }
    }

    /** The body goes to a handler as it arrives, not into a buffer: the body limit does not apply. */
    void streamBody() {
        streamed = true;
        chunkedBody.unlimited();
    }

    /** {@return the body bytes read so far, after any chunk framing} */
    long bodyReceived() {
        return chunkedBody.received() + received;
    }

    /** A buffered body declared longer than the body limit is refused before any of it is read. */
    void checkBodyLimit(HttpRequest request) throws HttpException {
        if (!streamed && request.contentLength > limits.maxBodyBytes()) {
            throw new HttpException(413, "body over " + limits.maxBodyBytes() + " bytes");
        }
    }

    /** Whether the body is complete; consumes body bytes from {@code in} into the request. */
    boolean readBody(ByteBuffer in, HttpRequest request) throws HttpException {
        return readBody(in, request, request.bufferedBody());
    }

    /** Whether the body is complete; consumes body bytes from {@code in} into {@code sink}, as many as it has room for. */
    boolean readBody(ByteBuffer in, HttpRequest request, BodySink sink) throws HttpException {
        if (request.chunked) {
            return chunkedBody.read(in, sink);
        }
        if (received == 0) {
            checkBodyLimit(request);
        }
        long wanted = Math.max(0, request.contentLength);
        int n = (int) Math.min(Math.min(in.remaining(), wanted - received), sink.room());
        if (n > 0) {
            sink.take(in, n);
            received += n;
        }
        return received == wanted;
    }

    /** RFC 9112 section 3.2: uri-host [ ":" port ], where uri-host is an IP-literal or a reg-name. */
    private static boolean validHost(byte[] h, int from, int to) {
        int i = from;
        if (i < to && h[i] == '[') {
            while (i < to && h[i] != ']') {
                byte b = h[i];
                if (!(Ascii.hexValue(b) >= 0 || b == ':' || b == '.' || b == '[' || b == 'v' || b == 'V')) {
                    return false;
                }
                i++;
            }
            if (i == to) {
                return false;
            }
            i++;
        } else {
            while (i < to && h[i] != ':') {
                if (!Ascii.hostChar(h[i])) {
                    return false;
                }
                i++;
            }
        }
        if (i < to) {
            if (h[i] != ':') {
                return false;
            }
            for (i++; i < to; i++) {
                if (!digit(h[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasToken(byte[] h, int from, int to, String token) {
        int k = from;
        while (k < to) {
            while (k < to && (h[k] == ' ' || h[k] == '\t' || h[k] == ',')) {
                k++;
            }
            int start = k;
            while (k < to && h[k] != ',' && h[k] != ' ' && h[k] != '\t') {
                k++;
            }
            if (k > start && equalsIgnoreCase(h, start, k, token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(byte[] h, int from, int to, String text) {
        return to - from == text.length() && startsWithIgnoreCase(h, from, text);
    }

    private static boolean startsWithIgnoreCase(byte[] h, int from, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Ascii.lower(h[from + i]) != Ascii.lower((byte) text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] h, int from, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (h[from + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
