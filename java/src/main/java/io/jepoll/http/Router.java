package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Maps method and path to a handler: 404 for an unknown path, 405 with {@code Allow} for a
 * known path and another method; HEAD is answered by the GET handler. Matching compares
 * bytes, so routing allocates nothing.
 */
final class Router {

    static final HttpResponse NOT_FOUND = HttpResponse.status(404);
    static final HttpResponse INTERNAL_ERROR = HttpResponse.status(500);

    private record Route(byte[] path, HttpRequest.Method[] methods, HttpHandler[] handlers,
            HttpResponse notAllowed) {
    }

    private final Route[] routes;

    private Router(Route[] routes) {
        this.routes = routes;
    }

    HttpResponse route(HttpRequest request) {
        for (Route route : routes) {
            if (request.pathEquals(route.path)) {
                HttpRequest.Method method = request.method == HttpRequest.Method.HEAD
                        && !has(route, HttpRequest.Method.HEAD) ? HttpRequest.Method.GET : request.method;
                for (int i = 0; i < route.methods.length; i++) {
                    if (route.methods[i] == method) {
                        return route.handlers[i].handle(request);
                    }
                }
                return route.notAllowed;
            }
        }
        return NOT_FOUND;
    }

    private static boolean has(Route route, HttpRequest.Method method) {
        for (HttpRequest.Method m : route.methods) {
            if (m == method) {
                return true;
            }
        }
        return false;
    }

    /** Collects routes in order; the first route for a path decides its position. */
    static final class Builder {
        private final Map<String, Map<HttpRequest.Method, HttpHandler>> byPath = new LinkedHashMap<>();

        Builder add(String method, String path, HttpHandler handler) {
            HttpRequest.Method known;
            try {
                known = HttpRequest.Method.valueOf(method);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown method '" + method + "': use one of "
                        + List.of(HttpRequest.Method.values()), e);
            }
            if (!path.startsWith("/") || path.indexOf('?') >= 0 || path.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("a route path starts with / and has no query or spaces: " + path);
            }
            byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(known, handler);
            return this;
        }

        Router build() {
            List<Route> routes = new ArrayList<>();
            byPath.forEach((path, handlers) -> {
                StringJoiner allow = new StringJoiner(", ");
                handlers.keySet().forEach(m -> allow.add(m.name()));
                if (handlers.containsKey(HttpRequest.Method.GET) && !handlers.containsKey(HttpRequest.Method.HEAD)) {
                    allow.add("HEAD");
                }
                routes.add(new Route(path.getBytes(StandardCharsets.US_ASCII),
                        handlers.keySet().toArray(HttpRequest.Method[]::new),
                        handlers.values().toArray(HttpHandler[]::new),
                        HttpResponse.status(405).withHeader("Allow", allow.toString())));
            });
            return new Router(routes.toArray(Route[]::new));
        }
    }
}
