package io.jepoll.http;

/** Answers one request. Runs on the connection's loop thread: don't block in it. */
@FunctionalInterface
public interface HttpHandler {

    /** @param request valid only during this call; copy what you keep */
    HttpResponse handle(HttpRequest request);
}
