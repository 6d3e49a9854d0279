package io.jepoll.http;

/** Answers one request. Runs on the connection's loop thread: don't block in it. */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Answers {@code request}. A handler that throws or answers null gets its peer a 500 (or the
     * server's error handler's answer) and a close, and is logged; one that throws a
     * {@link BadRequestException} gets its peer a 400.
     *
     * @param request valid only during this call; copy what you keep
     * @return the response to send
     */
    HttpResponse handle(HttpRequest request);
}
