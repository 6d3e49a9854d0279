package io.jepoll.http;

import java.time.Duration;

/**
 * What a peer may send before the server answers with an error and closes. Immutable; start
 * from {@link #defaults()} and change one limit at a time with the {@code with} methods.
 *
 * @param maxRequestLineBytes the request line (method, target, version); past it: 414
 * @param maxHeaderBytes the whole head, request line and header lines; past it: 431
 * @param maxHeaderCount header lines; past it: 431
 * @param maxBodyBytes a request body, by Content-Length or chunked; past it: 413
 * @param headerTimeout from the first byte of a request to the end of its head: a deadline, what
 *     stops a head that trickles in (slowloris)
 * @param bodyTimeout the longest wait for the next bytes of a body (an inactivity timeout, as
 *     nginx's {@code client_body_timeout}): a slow steady upload completes
 * @param minBodyBytesPerSecond 0, or the average rate a body must keep once it has taken longer
 *     than {@code bodyTimeout}, counted from the end of its head
 * @param idleTimeout a keep-alive connection with no request in progress
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
        Duration headerTimeout, Duration bodyTimeout, long minBodyBytesPerSecond, Duration idleTimeout) {

    /**
     * Checks the values.
     *
     * @param maxRequestLineBytes see {@link #maxRequestLineBytes()}
     * @param maxHeaderBytes see {@link #maxHeaderBytes()}
     * @param maxHeaderCount see {@link #maxHeaderCount()}
     * @param maxBodyBytes see {@link #maxBodyBytes()}
     * @param headerTimeout see {@link #headerTimeout()}
     * @param bodyTimeout see {@link #bodyTimeout()}
     * @param minBodyBytesPerSecond see {@link #minBodyBytesPerSecond()}
     * @param idleTimeout see {@link #idleTimeout()}
     * @throws IllegalArgumentException when a size is out of range or a timeout not positive
     */
    public HttpLimits {
        if (maxRequestLineBytes < 16 || maxHeaderBytes < maxRequestLineBytes || maxHeaderCount < 1
                || maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("need maxRequestLineBytes >= 16, maxHeaderBytes >= maxRequestLineBytes,"
                    + " maxHeaderCount >= 1, 0 <= maxBodyBytes <= " + (Integer.MAX_VALUE - 8));
        }
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException("minBodyBytesPerSecond must be >= 0 (0: no minimum): "
                    + minBodyBytesPerSecond);
        }
        requirePositive(idleTimeout, "idleTimeout");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /**
     * {@return 8 KiB request line, 32 KiB and 256 header lines, 8 MiB body, 10 s head, 30 s
     * between two reads of a body with no minimum rate, 60 s idle}
     */
    public static HttpLimits defaults() {
        return new HttpLimits(8 * 1024, 32 * 1024, 256, 8L * 1024 * 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 0, Duration.ofSeconds(60));
    }

    /**
     * {@return these limits with another request line limit}
     *
     * @param bytes most bytes in the request line (at least 16)
     */
    public HttpLimits withMaxRequestLineBytes(int bytes) {
        return new HttpLimits(bytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, bodyTimeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another head size limit}
     *
     * @param bytes most bytes in the whole head (at least the request line limit)
     */
    public HttpLimits withMaxHeaderBytes(int bytes) {
        return new HttpLimits(maxRequestLineBytes, bytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, bodyTimeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another header count limit}
     *
     * @param count most header lines (at least 1)
     */
    public HttpLimits withMaxHeaderCount(int count) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, count, maxBodyBytes,
                headerTimeout, bodyTimeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another body size limit}
     *
     * @param bytes most bytes in a request body (0 refuses every body)
     */
    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, bytes,
                headerTimeout, bodyTimeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another head timeout}
     *
     * @param timeout from the first byte of a request to the end of its head
     */
    public HttpLimits withHeaderTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                timeout, bodyTimeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another body timeout}
     *
     * @param timeout the longest wait for the next bytes of a body
     */
    public HttpLimits withBodyTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, timeout, minBodyBytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another minimum body rate}
     *
     * @param bytesPerSecond 0 (no minimum), or the average rate a body must keep once it has
     *     taken longer than the body timeout
     */
    public HttpLimits withMinBodyBytesPerSecond(long bytesPerSecond) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, bodyTimeout, bytesPerSecond, idleTimeout);
    }

    /**
     * {@return these limits with another idle timeout}
     *
     * @param timeout how long a keep-alive connection may wait for its next request
     */
    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                headerTimeout, bodyTimeout, minBodyBytesPerSecond, timeout);
    }
}
