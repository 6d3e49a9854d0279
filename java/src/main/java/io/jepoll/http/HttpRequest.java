package io.jepoll.http;

import io.jepoll.net.Connection;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * A parsed request. Its bytes belong to the connection and are reused for the next request:
 * use it only during {@link HttpHandler#handle}; copy what you keep. Strings are made only
 * when asked for.
 *
 * <p>Path parameters, the query and form bodies are percent-decoded as UTF-8; where they are
 * malformed, the accessor throws a {@link BadRequestException}, which the server answers 400.
 */
public final class HttpRequest {

    byte[] head = new byte[1024];
    int headLength;
    int methodEnd;
    int targetStart;
    int targetEnd;
    int pathStart;
    int pathEnd;
    int minorVersion;
    int headerCount;
    int[] nameStart = new int[16];
    int[] nameEnd = new int[16];
    int[] valueStart = new int[16];
    int[] valueEnd = new int[16];
    long contentLength = -1;
    boolean chunked;
    boolean keepAlive;
    boolean expectContinue;
    Method method;
    byte[] body = new byte[0];
    int bodyLength;
    /** The body limit: how far the body array may grow for a chunked body. */
    long maxBufferedBody;
    private final BodySink bufferedBody = new BodySink() {
        @Override
        public long room() {
            return Long.MAX_VALUE;
        }

        @Override
        public void take(ByteBuffer in, int n) {
            long needed = bodyLength + (long) n;
            ensureBodyCapacity(needed, Math.max(needed, contentLength >= 0 ? contentLength : maxBufferedBody));
            in.get(body, bodyLength, n);
            bodyLength += n;
        }
    };
    Connection connection;
    /** On a streaming route, the body as it arrives; null on a buffered route. */
    RequestBody streamedBody;
    /** Resumes a body receiver that was behind: set once by the connection; runs on its loop. */
    Runnable resumeBody;
    /** Set once, by the connection, when its server drains; not reset between requests. */
    boolean serverDraining;
    /** Set by the router for a parameter or prefix route only: exact routes leave them null. */
    String[] pathParamNames;
    String[] pathParamValues;
    String pathRemainder;
    private Map<String, List<String>> queryParams;
    private Map<String, List<String>> formParams;

    /** The methods jepoll knows; any other is answered 501. */
    enum Method { GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE }

    /** The body decoders' sink for a buffered body: this request's body array. */
    BodySink bufferedBody() {
        return bufferedBody;
    }

    /** Drops the body array, however large it grew. */
    void releaseBody() {
        body = new byte[0];
        bodyLength = 0;
    }

    void reset() {
        headLength = 0;
        headerCount = 0;
        contentLength = -1;
        chunked = false;
        keepAlive = false;
        expectContinue = false;
        method = null;
        bodyLength = 0;
        streamedBody = null;
        pathParamNames = null;
        pathParamValues = null;
        pathRemainder = null;
        queryParams = null;
        formParams = null;
    }

    /**
     * Once the request is answered: drops a body array grown past 64 KiB, so that a connection
     * waiting for its next request (idle, or held back by the answer it queued) holds no large one.
     */
    void releaseLargeBody() {
        if (body.length > 64 * 1024) {
            releaseBody();
        }
    }

    /**
     * Grows the body array to hold {@code needed} bytes, doubling up to {@code most}: memory
     * follows the bytes that arrived, not what a header promised.
     */
    void ensureBodyCapacity(long needed, long most) {
        if (body.length < needed) {
            long size = Math.min(most, Math.max(needed, Math.max(4096, body.length * 2L)));
            body = Arrays.copyOf(body, (int) size);
        }
    }

    /** {@return the method: GET, POST, ...} */
    public String method() {
        return method.name();
    }

    /** {@return the request target as sent: {@code /path?query}, or an absolute URI} */
    public String target() {
        return ascii(targetStart, targetEnd);
    }

    /** {@return the path of the target, without the query; {@code *} for {@code OPTIONS *}} */
    public String path() {
        return pathStart == pathEnd ? "/" : ascii(pathStart, pathEnd);
    }

    /** {@return the query after {@code ?}, or null when there is none} */
    public String query() {
        return pathEnd < targetEnd ? ascii(pathEnd + 1, targetEnd) : null;
    }

    /**
     * {@return a parameter of the route's path, percent-decoded (UTF-8); null when the route has no such parameter}
     * The route {@code /users/{id}} gives {@code id}; a prefix route, such as {@code /static/*},
     * gives what follows its prefix as {@code *} (decoded: check it for {@code ..} before using it
     * as a file's path).
     *
     * @param name the name between braces in the route, or {@code *}
     */
    public String pathParam(String name) {
        if ("*".equals(name)) {
            return pathRemainder;
        }
        if (pathParamNames != null) {
            for (int i = 0; i < pathParamNames.length; i++) {
                if (pathParamNames[i].equals(name)) {
                    return pathParamValues[i];
                }
            }
        }
        return null;
    }

    /**
     * {@return the first value of the named query parameter, decoded; null when there is none}
     *
     * @param name the parameter's name, decoded
     * @throws BadRequestException when the query is malformed (answered 400)
     * @see #queryParams()
     */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * {@return the query's parameters in order, each name with its values in order; empty without a query}
     * Names and values are percent-decoded as UTF-8, with {@code +} a space; a name without
     * {@code =} has the value "". Read-only.
     *
     * @throws BadRequestException when the query is malformed (answered 400)
     */
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = pathEnd < targetEnd ? UrlDecoding.pairs(head, pathEnd + 1, targetEnd) : Map.of();
        }
        return queryParams;
    }

    /**
     * {@return the parameters of an {@code application/x-www-form-urlencoded} body, as {@link #queryParams()}}
     * Empty when the body has another content type. The body is read as UTF-8 whatever charset
     * the content type names.
     *
     * @throws BadRequestException when the form is malformed (answered 400)
     */
    public Map<String, List<String>> formParams() {
        if (formParams == null) {
            formParams = isForm() ? UrlDecoding.pairs(body, 0, bodyLength) : Map.of();
        }
        return formParams;
    }

    private boolean isForm() {
        String type = header("Content-Type");
        if (type == null) {
            return false;
        }
        int parameters = type.indexOf(';');
        return (parameters < 0 ? type : type.substring(0, parameters)).strip()
                .equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    /**
     * {@return the client's address: the other end of the connection, or, on a server behind a
     * balancer speaking the PROXY protocol ({@link HttpServer.Builder#proxyProtocol}), the client's
     * address as the balancer reported it} Not taken from headers such as {@code X-Forwarded-For},
     * which any client can send.
     */
    public SocketAddress clientAddress() {
        return connection.clientAddress();
    }

    /**
     * {@return the socket's peer: the client, or the balancer in front of the server (see
     * {@link #clientAddress()})}
     */
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /**
     * {@return the address the client connected to: the server's, or, behind a balancer speaking the
     * PROXY protocol, the balancer's as it reported it}
     */
    public SocketAddress clientDestination() {
        return connection.clientDestination();
    }

    /** {@return the server's address of the connection: the one the client, or the balancer in front, connected to} */
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    /**
     * {@return the TLS session of an HTTPS request: protocol, cipher suite, and with mutual TLS
     * the client's verified certificates ({@link SSLSession#getPeerCertificates()}); null over
     * plain HTTP}
     */
    public SSLSession tlsSession() {
        return connection.tlsSession();
    }

    /** {@return the protocol version: {@code HTTP/1.1} or {@code HTTP/1.0}} */
    public String version() {
        return minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /** {@return whether the connection stays open after this request's response} */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * {@return whether the server is draining (see {@code TcpServer.drain}): this request's answer
     * closes the connection; a health check answers that the server is going away}
     */
    public boolean serverDraining() {
        return serverDraining;
    }

    /** {@return how many header lines the request has, repeated names included} */
    public int headerCount() {
        return headerCount;
    }

    /**
     * {@return the name of a header line, as sent}
     *
     * @param i the line's index, from 0 to {@link #headerCount()} - 1
     */
    public String headerName(int i) {
        return ascii(nameStart[i], nameEnd[i]);
    }

    /**
     * {@return the value of a header line, without surrounding white space, each byte a char (ISO-8859-1)}
     *
     * @param i the line's index, from 0 to {@link #headerCount()} - 1
     */
    public String headerValue(int i) {
        return new String(head, valueStart[i], valueEnd[i] - valueStart[i], StandardCharsets.ISO_8859_1);
    }

    /**
     * {@return the first value of the named header, or null}
     *
     * @param name the header's name, in any case
     */
    public String header(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : headerValue(i);
    }

    /**
     * {@return every value of the named header, in order; empty when there is none}
     *
     * @param name the header's name, in any case
     */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            values.add(headerValue(i));
        }
        return values;
    }

    /** {@return the {@code Content-Length}, or -1 when there is none (no body, or a chunked one)} */
    public long contentLength() {
        return contentLength;
    }

    /** {@return whether the body is sent chunked: its length is not known in advance} */
    public boolean chunked() {
        return chunked;
    }

    /**
     * {@return the body as a source to pull from} On a route added with
     * {@link HttpServer.Builder#routeStreaming}, the body as it arrives: give it to
     * {@link HttpResponse#stream} to send it on as it comes (as the built-in {@code POST /echo}
     * does), and the peer's upload and its download go at the pace of the slower. Elsewhere, the
     * buffered body.
     *
     * @throws IllegalStateException when the body was already taken ({@link #receiveBody})
     */
    public BodySource bodySource() {
        if (streamedBody != null) {
            return streamedBody.pull();
        }
        ByteBuffer whole = body();
        return dst -> {
            if (!whole.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), whole.remaining());
            dst.put(dst.position(), whole, whole.position(), n).position(dst.position() + n);
            whole.position(whole.position() + n);
            return n;
        };
    }

    /**
     * Takes the body as it arrives and answers when it ends; return what this returns from the
     * handler. On a route added with {@link HttpServer.Builder#routeStreaming}, {@code receiver}
     * gets the body piece by piece as it arrives; elsewhere, the buffered body in one piece.
     * Either way its {@link BodyReceiver#onEnd} gives the answer.
     *
     * <pre>{@code
     * .routeStreaming("PUT", "/upload", request -> request.receiveBody(new BodyReceiver() {
     *     long bytes;
     *     public boolean onBody(ByteBuffer chunk) { bytes += chunk.remaining(); return true; }
     *     public HttpResponse onEnd() { return HttpResponse.text(bytes + " bytes\n"); }
     * }))
     * }</pre>
     *
     * @param receiver takes the body
     * @return the handler's answer: it comes when the body ends
     * @throws IllegalStateException when the body was already taken ({@link #bodySource})
     */
    public HttpResponse receiveBody(BodyReceiver receiver) {
        if (streamedBody != null) {
            streamedBody.push(receiver);
            return HttpResponse.AFTER_BODY;
        }
        receiver.onBody(body());
        return receiver.onEnd();
    }

    /**
     * Resumes a {@link BodyReceiver} that said it was behind; from any thread. Does nothing
     * when the receiver is not behind or the request is over.
     */
    public void resumeBody() {
        Runnable resume = resumeBody;
        if (resume != null) {
            connection.execute(resume);
        }
    }

    /** {@return the body, read-only; empty when there is none (and on a streaming route)} */
    public ByteBuffer body() {
        return ByteBuffer.wrap(body, 0, bodyLength).asReadOnlyBuffer();
    }

    /** {@return the body decoded as UTF-8; empty when there is none} */
    public String bodyAsString() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    /** Whether the path equals {@code path} (ASCII bytes); no allocation. */
    boolean pathEquals(byte[] path) {
        int start = pathStart;
        int length = pathEnd - start;
        if (length == 0) {
            return path.length == 1 && path[0] == '/';
        }
        if (length != path.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (head[start + i] != path[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the target is {@code *}, as only {@code OPTIONS *} may have it. */
    boolean isAsteriskForm() {
        return targetEnd - targetStart == 1 && head[targetStart] == '*';
    }

    /** The index of the first header line named {@code name} (any case) from {@code from}, or -1; no allocation. */
    int indexOf(String name, int from) {
        for (int i = from; i < headerCount; i++) {
            if (nameEquals(i, name)) {
                return i;
            }
        }
        return -1;
    }

    boolean nameEquals(int i, String name) {
        int length = nameEnd[i] - nameStart[i];
        if (length != name.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (Ascii.lower(head[nameStart[i] + k]) != Ascii.lower((byte) name.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private String ascii(int from, int to) {
        return new String(head, from, to - from, StandardCharsets.US_ASCII);
    }
}
