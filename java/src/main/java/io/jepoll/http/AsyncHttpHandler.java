package io.jepoll.http;

import java.util.concurrent.CompletionStage;

/**
 * Answers one request later, without holding its loop: the answer may come from any thread.
 * Added with {@link HttpServer.Builder#routeAsync}.
 */
@FunctionalInterface
public interface AsyncHttpHandler {

    /**
     * Starts answering {@code request}. The connection reads no further request until the stage
     * completes, so the request stays valid (and unchanged) until then, on any thread. A stage
     * that fails is answered as a failing route is: 500 (or the error handler's answer), the
     * failure logged and given to the server's error hook, and a close; a
     * {@link BadRequestException} is answered 400.
     *
     * @param request the request; valid until the stage completes
     * @return completes with the answer
     */
    CompletionStage<? extends HttpResponse> handle(HttpRequest request);
}
