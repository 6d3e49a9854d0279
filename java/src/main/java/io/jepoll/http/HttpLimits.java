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
 * @param headerTimeout from the first byte of a request to the end of its head
 * @param bodyTimeout from the end of the head to the end of the body
 * @param idleTimeout a keep-alive connection with no request in progress
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
        Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {

    public HttpLimits {
        if (maxRequestLineBytes < 16 || maxHeaderBytes < maxRequestLineBytes || maxHeaderCount < 1
                || maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("need maxRequestLineBytes >= 16, maxHeaderBytes >= maxRequestLineBytes,"
                    + " maxHeaderCount >= 1, 0 <= maxBodyBytes <= " + (Integer.MAX_VALUE - 8));
        }
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        requirePositive(idleTimeout, "idleTimeout");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /** 8 KiB request line, 32 KiB and 100 header lines, 8 MiB body, 10 s head, 30 s body, 60 s idle. */
    public static HttpLimits defaults() {
        return new HttpLimits(8 * 1024, 32 * 1024, 100, 8L * 1024 * 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public HttpLimits withMaxRequestLineBytes(int bytes) {
        return new HttpLimits(bytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, headerTimeout, bodyTimeout,
                idleTimeout);
    }

    public HttpLimits withMaxHeaderBytes(int bytes) {
        return new HttpLimits(maxRequestLineBytes, bytes, maxHeaderCount, maxBodyBytes, headerTimeout, bodyTimeout,
                idleTimeout);
    }

    public HttpLimits withMaxHeaderCount(int count) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, count, maxBodyBytes, headerTimeout, bodyTimeout,
                idleTimeout);
    }

    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, bytes, headerTimeout, bodyTimeout,
                idleTimeout);
    }

    public HttpLimits withHeaderTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, timeout, bodyTimeout,
                idleTimeout);
    }

    public HttpLimits withBodyTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, headerTimeout, timeout,
                idleTimeout);
    }

    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, headerTimeout,
                bodyTimeout, timeout);
    }
}
