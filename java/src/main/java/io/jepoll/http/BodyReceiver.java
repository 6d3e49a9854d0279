package io.jepoll.http;

import java.nio.ByteBuffer;

/**
 * Takes a request's body as it arrives, for a route added with
 * {@link HttpServer.Builder#routeStreaming}: see {@link HttpRequest#receiveBody}. Its methods run
 * on the connection's loop, one at a time.
 */
public interface BodyReceiver {

    /**
     * The next bytes of the body, decoded (no chunk framing).
     *
     * @param chunk valid only during this call: copy what you keep
     * @return true for more; false when behind: no more bytes come, and the connection stops
     *     reading once its buffer for the body is full, until {@link HttpRequest#resumeBody}
     */
    boolean onBody(ByteBuffer chunk);

    /**
     * The whole body has arrived.
     *
     * @return the answer to the request (it may be {@link HttpResponse#stream a stream})
     */
    HttpResponse onEnd();

    /** The connection closed before the body ended; {@link #onEnd} will not come. */
    default void onAbort() {
    }
}
