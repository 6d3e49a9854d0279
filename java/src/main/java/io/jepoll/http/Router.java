package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.BiFunction;

/**
 * Maps method and path to a handler. Routes are tried in this order: exact paths, then
 * parameter patterns ({@code /users/{id}}: more literal segments first, then in the order
 * declared), then prefix routes ({@code /static/*}: longest prefix first); the first that
 * matches the path and has the method answers. A path some route matches with none having the
 * method gets 405 with {@code Allow}; a path no route matches goes to the not-found handler.
 * HEAD is answered by the GET handler, {@code OPTIONS *} with the methods of every route.
 * Matching compares the raw bytes of the path, so a request for an exact route allocates
 * nothing; only a pattern route that answers decodes its parameters.
 */
final class Router {

    static final HttpResponse NOT_FOUND = HttpResponse.status(404);
    static final HttpResponse INTERNAL_ERROR = HttpResponse.status(500);
    static final HttpResponse BAD_REQUEST = HttpResponse.status(400);
    private static final HttpHandler BAD_REQUEST_HANDLER = request -> BAD_REQUEST;

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final HttpRequest.Method[] METHODS = HttpRequest.Method.values();
    private static final byte[] ROOT = {'/'};

    private enum Kind { EXACT, PATTERN, PREFIX }

    /**
     * One path, exact or a pattern, with a handler per method (by ordinal; null where none).
     * {@code segments}: for a pattern, each segment's literal bytes or null for a parameter;
     * for a prefix route, one entry: the prefix, ending in {@code /}.
     */
    private record Route(Kind kind, byte[] path, byte[][] segments, String[] names, HttpHandler[] handlers,
            Set<HttpRequest.Method> methods, HttpResponse notAllowed) {

        HttpHandler handler(HttpRequest.Method method) {
            HttpHandler handler = handlers[method.ordinal()];
            if (handler == null && method == HttpRequest.Method.HEAD) {
                return handlers[HttpRequest.Method.GET.ordinal()];
            }
            return handler;
        }
    }

    private final Route[] exact;
    private final Route[] patterns;
    private final HttpHandler notFound;
    private final BiFunction<? super HttpRequest, ? super RuntimeException, ? extends HttpResponse> errorHandler;
    private final HttpHandler optionsHandler;

    private Router(Route[] exact, Route[] patterns, HttpHandler notFound,
            BiFunction<? super HttpRequest, ? super RuntimeException, ? extends HttpResponse> errorHandler,
            HttpResponse options) {
        this.exact = exact;
        this.patterns = patterns;
        this.notFound = notFound;
        this.errorHandler = errorHandler;
        this.optionsHandler = request -> options;
    }

    /**
     * The handler for {@code request}, its path parameters bound: a route's, or one answering
     * 404, 405 or {@code OPTIONS *}; a path parameter that does not decode gets one answering 400.
     */
    HttpHandler select(HttpRequest request) {
        try {
            return find(request);
        } catch (BadRequestException e) {
            return BAD_REQUEST_HANDLER;
        }
    }

    private HttpHandler find(HttpRequest request) {
        HttpRequest.Method method = request.method;
        if (method == HttpRequest.Method.OPTIONS && request.isAsteriskForm()) {
            return optionsHandler;
        }
        Route pathMatch = null;
        for (Route route : exact) {
            if (request.pathEquals(route.path)) {
                HttpHandler handler = route.handler(method);
                if (handler != null) {
                    return handler;
                }
                pathMatch = route;
                break;
            }
        }
        List<Route> pathMatches = null;
        for (Route route : patterns) {
            if (matches(route, request)) {
                HttpHandler handler = route.handler(method);
                if (handler != null) {
                    bindParameters(route, request);
                    return handler;
                }
                if (pathMatch == null) {
                    pathMatch = route;
                } else {
                    if (pathMatches == null) {
                        pathMatches = new ArrayList<>(List.of(pathMatch));
                    }
                    pathMatches.add(route);
                }
            }
        }
        if (pathMatch == null) {
            return notFound;
        }
        HttpResponse notAllowed = pathMatches == null ? pathMatch.notAllowed : notAllowed(pathMatches);
        return any -> notAllowed;
    }

    /** Several routes match the path and none has the method: Allow lists all of theirs. */
    private static HttpResponse notAllowed(List<Route> routes) {
        Set<HttpRequest.Method> methods = new LinkedHashSet<>();
        routes.forEach(route -> methods.addAll(route.methods));
        return HttpResponse.status(405).withHeader("Allow", allow(methods));
    }

    /**
     * The answer for a route that threw {@code error} or answered null: the error handler's,
     * or 500 when there is none or it fails too (which is logged).
     */
    HttpResponse failed(HttpRequest request, RuntimeException error) {
        if (errorHandler == null) {
            return INTERNAL_ERROR;
        }
        try {
            HttpResponse answer = errorHandler.apply(request, error);
            if (answer != null) {
                return answer;
            }
            LOG.log(System.Logger.Level.WARNING, "the error handler returned no response (null) for "
                    + request.method() + " " + request.path() + "; answered 500");
        } catch (RuntimeException handlerFailure) {
            LOG.log(System.Logger.Level.WARNING, "the error handler failed for " + request.method() + " "
                    + request.path() + "; answered 500", handlerFailure);
        }
        return INTERNAL_ERROR;
    }

    boolean hasErrorHandler() {
        return errorHandler != null;
    }

    /** Whether the raw path matches the route's segments or prefix; allocates nothing. */
    private static boolean matches(Route route, HttpRequest request) {
        byte[] h = request.pathStart == request.pathEnd ? ROOT : request.head;
        int from = request.pathStart == request.pathEnd ? 0 : request.pathStart;
        int to = request.pathStart == request.pathEnd ? 1 : request.pathEnd;
        if (route.kind == Kind.PREFIX) {
            return startsWith(h, from, to, route.segments[0]);
        }
        int at = from + 1;
        byte[][] segments = route.segments;
        for (int i = 0; i < segments.length; i++) {
            int end = at;
            while (end < to && h[end] != '/') {
                end++;
            }
            if (i == segments.length - 1 ? end != to : end == to) {
                return false;
            }
            byte[] literal = segments[i];
            if (literal == null ? end == at : !regionEquals(h, at, end, literal)) {
                return false;
            }
            at = end + 1;
        }
        return true;
    }

    /** Decodes the parameters of a route that matched: the only routing step that allocates. */
    private static void bindParameters(Route route, HttpRequest request) {
        byte[] h = request.head;
        if (route.kind == Kind.PREFIX) {
            int start = request.pathStart + route.segments[0].length;
            request.pathRemainder = start >= request.pathEnd ? "" : UrlDecoding.path(h, start, request.pathEnd);
            return;
        }
        String[] values = new String[route.names.length];
        int at = request.pathStart + 1;
        int parameter = 0;
        for (byte[] literal : route.segments) {
            int end = at;
            while (end < request.pathEnd && h[end] != '/') {
                end++;
            }
            if (literal == null) {
                values[parameter++] = UrlDecoding.path(h, at, end);
            }
            at = end + 1;
        }
        request.pathParamNames = route.names;
        request.pathParamValues = values;
    }

    private static boolean startsWith(byte[] h, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && regionEquals(h, from, from + prefix.length, prefix);
    }

    private static boolean regionEquals(byte[] h, int from, int to, byte[] literal) {
        if (to - from != literal.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (h[from + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }

    /** The methods in the order declared, then HEAD where GET answers it. */
    private static String allow(Collection<HttpRequest.Method> methods) {
        StringJoiner allow = new StringJoiner(", ");
        methods.forEach(method -> allow.add(method.name()));
        if (methods.contains(HttpRequest.Method.GET) && !methods.contains(HttpRequest.Method.HEAD)) {
            allow.add("HEAD");
        }
        return allow.toString();
    }

    /** Collects routes in order; the first route for a path decides its position among its kind. */
    static final class Builder {
        private final Map<String, Map<HttpRequest.Method, HttpHandler>> byPath = new LinkedHashMap<>();
        private HttpHandler notFound = request -> NOT_FOUND;
        private BiFunction<? super HttpRequest, ? super RuntimeException, ? extends HttpResponse> errorHandler;

        Builder add(String method, String path, HttpHandler handler) {
            HttpRequest.Method known;
            try {
                known = HttpRequest.Method.valueOf(method);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown method '" + method + "': use one of "
                        + List.of(HttpRequest.Method.values()) + " (methods are case-sensitive)", e);
            }
            if (!path.startsWith("/") || path.indexOf('?') >= 0 || path.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("a route path starts with / and has no query or spaces: " + path);
            }
            Pattern.parse(path);
            byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(known, handler);
            return this;
        }

        Builder notFound(HttpHandler handler) {
            this.notFound = handler;
            return this;
        }

        Builder errorHandler(
                BiFunction<? super HttpRequest, ? super RuntimeException, ? extends HttpResponse> handler) {
            this.errorHandler = handler;
            return this;
        }

        Router build() {
            List<Route> exact = new ArrayList<>();
            List<Route> patterns = new ArrayList<>();
            List<Route> prefixes = new ArrayList<>();
            Set<HttpRequest.Method> everyMethod = new LinkedHashSet<>();
            byPath.forEach((path, byMethod) -> {
                Pattern pattern = Pattern.parse(path);
                HttpHandler[] handlers = new HttpHandler[METHODS.length];
                byMethod.forEach((method, handler) -> handlers[method.ordinal()] = handler);
                Set<HttpRequest.Method> methods = new LinkedHashSet<>(byMethod.keySet());
                everyMethod.addAll(methods);
                Route route = new Route(pattern.kind, path.getBytes(StandardCharsets.US_ASCII), pattern.segments,
                        pattern.names, handlers, methods, HttpResponse.status(405).withHeader("Allow", allow(methods)));
                (pattern.kind == Kind.EXACT ? exact : pattern.kind == Kind.PATTERN ? patterns : prefixes).add(route);
            });
            patterns.sort(Comparator.comparingInt(Builder::literalSegments).reversed());
            prefixes.sort(Comparator.comparingInt((Route route) -> route.segments[0].length).reversed());
            patterns.addAll(prefixes);
            String allowed = allow(everyMethod);
            HttpResponse options = HttpResponse.of(200, null, new byte[0]).withHeader("Allow",
                    everyMethod.contains(HttpRequest.Method.OPTIONS) ? allowed
                            : allowed.isEmpty() ? "OPTIONS" : allowed + ", OPTIONS");
            return new Router(exact.toArray(Route[]::new), patterns.toArray(Route[]::new), notFound, errorHandler,
                    options);
        }

        private static int literalSegments(Route route) {
            int literals = 0;
            for (byte[] segment : route.segments) {
                if (segment != null) {
                    literals++;
                }
            }
            return literals;
        }
    }

    /**
     * A route's path parsed: a segment that is a whole {@code {name}} is a parameter, and a last
     * segment {@code *} makes a prefix route; anything else is literal.
     */
    private record Pattern(Kind kind, byte[][] segments, String[] names) {

        static Pattern parse(String path) {
            String[] parts = path.substring(1).split("/", -1);
            List<String> names = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            byte[][] segments = new byte[parts.length][];
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.equals("*")) {
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("* may only be the last segment of a route: " + path);
                    }
                    if (!names.isEmpty()) {
                        throw new IllegalArgumentException("a prefix route (ending in /*) has no {parameters}: "
                                + path);
                    }
                    byte[] prefix = path.substring(0, path.length() - 1).getBytes(StandardCharsets.US_ASCII);
                    return new Pattern(Kind.PREFIX, new byte[][] {prefix}, new String[0]);
                }
                if (part.startsWith("{") && part.endsWith("}") && part.length() >= 2) {
                    String name = part.substring(1, part.length() - 1);
                    if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                        throw new IllegalArgumentException("a parameter's name is letters, digits and _, not '"
                                + name + "': " + path);
                    }
                    if (!seen.add(name)) {
                        throw new IllegalArgumentException("the parameter {" + name + "} appears twice: " + path);
                    }
                    names.add(name);
                } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                    throw new IllegalArgumentException("a parameter is a whole segment, /{name}/: " + path);
                } else {
                    segments[i] = part.getBytes(StandardCharsets.US_ASCII);
                }
            }
            return new Pattern(names.isEmpty() ? Kind.EXACT : Kind.PATTERN, segments,
                    names.toArray(String[]::new));
        }
    }
}
