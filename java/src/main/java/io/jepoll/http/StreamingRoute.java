package io.jepoll.http;

/**
 * A route that takes its request's body as it arrives: its handler runs as soon as the head is
 * there, and reads the body through {@link HttpRequest#bodySource} or {@link HttpRequest#receiveBody}.
 */
record StreamingRoute(HttpHandler handler) implements HttpHandler {

    @Override
    public HttpResponse handle(HttpRequest request) {
        return handler.handle(request);
    }
}
