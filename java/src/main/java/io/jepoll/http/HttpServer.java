package io.jepoll.http;

import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import io.jepoll.tls.TlsContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An HTTP/1.1 server on jepoll's loops: keep-alive, pipelining, Content-Length and chunked
 * request bodies, {@code Expect: 100-continue}, HEAD, and strict parsing with
 * {@link HttpLimits}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder()
 *         .port(8080)
 *         .route("GET", "/hi", request -> HttpResponse.text("hi\n"))
 *         .route("GET", "/users/{id}", request -> HttpResponse.text("user " + request.pathParam("id")))
 *         .build()
 *         .start();
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {

    private static final HttpResponse HELLO = HttpResponse.of(200, "text/plain",
            "hello\n".getBytes(StandardCharsets.US_ASCII));
    private static final HttpResponse PLAINTEXT = HttpResponse.of(200, "text/plain",
            "Hello, World!".getBytes(StandardCharsets.US_ASCII));
    private static final HttpResponse HEALTHY = HttpResponse.of(200, "text/plain",
            "ok\n".getBytes(StandardCharsets.US_ASCII)).withHeader("Cache-Control", "no-store");
    private static final HttpResponse DRAINING = HttpResponse.of(503, "text/plain",
            "draining\n".getBytes(StandardCharsets.US_ASCII)).withHeader("Cache-Control", "no-store");

    /** The longest {@code GET /delay?ms=N} waits. */
    static final long MAX_DELAY_MILLIS = 60_000;
    /** What a client gets for plain HTTP sent to an HTTPS port, as nginx answers it. */
    private static final String PLAIN_HTTP_TO_TLS_PORT = "HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 47\r\nConnection: close\r\n\r\n"
            + "A plain HTTP request was sent to an HTTPS port\n";

    private final TcpServer tcp;
    private final BlockingExecutor blocking;

    private HttpServer(TcpServer tcp, BlockingExecutor blocking) {
        this.tcp = tcp;
        this.blocking = blocking;
    }

    /** {@return a builder with every option at its default and no routes} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * For connections past a cap ({@link TcpServer.Builder#whenFull}): answers 503 with
     * {@code Connection: close} and closes, without reading a request.
     *
     * @return makes one such handler per connection
     */
    public static Supplier<Handler> serviceUnavailable() {
        return ServiceUnavailable::new;
    }

    /**
     * Binds and starts serving; see {@link TcpServer#start()}.
     *
     * @return this server, started
     * @throws IOException when the address cannot be bound (the message names the call and errno)
     */
    public HttpServer start() throws IOException {
        tcp.start();
        return this;
    }

    /** {@return the bound address, with the kernel's port when port 0 was asked for; null before start} */
    public InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    /** {@return where the server listens, a TCP address or a Unix socket's; see {@link TcpServer#boundAddress()}} */
    public SocketAddress boundAddress() {
        return tcp.boundAddress();
    }

    /** {@return the bound port, the kernel's when port 0 was asked for} */
    public int port() {
        return tcp.port();
    }

    /** {@return the transport the server runs on} */
    public Transport transport() {
        return tcp.transport();
    }

    /** {@return the loops' counters summed} */
    public LoopStats stats() {
        return tcp.stats();
    }

    /**
     * Stops taking work without failing a request; see {@link TcpServer#drain}. Then the executor
     * of blocking routes, if the server made it, is shut down.
     *
     * @param notice how long to go on accepting while the health check answers 503
     * @param deadline how long the whole drain may take
     * @return whether every connection closed by itself before the deadline
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean drain(Duration notice, Duration deadline) throws InterruptedException {
        try {
            return tcp.drain(notice, deadline);
        } finally {
            blocking.shutdown();
        }
    }

    /** {@return the underlying TCP server: its loops and counters} */
    public TcpServer tcp() {
        return tcp;
    }

    /**
     * Shuts down as {@link TcpServer#close()} does: in-flight responses flush for the grace
     * period; then the executor of blocking routes, if the server made it, is shut down.
     */
    @Override
    public void close() {
        tcp.close();
        blocking.shutdown();
    }

    /**
     * {@code tls} as an HTTPS server uses it, for serving HTTP on a {@link TcpServer} configured
     * elsewhere (see {@link Builder#connectionHandlers()}): {@code http/1.1} and {@code http/1.0}
     * in ALPN unless it names its own protocols, and a {@code 400} in plain text for a client
     * that speaks plain HTTP to the port. Shares {@code tls}'s keys.
     *
     * @param tls a server's context
     * @return the context for {@link TcpServer.Builder#tls}
     */
    public static TlsContext https(TlsContext tls) {
        TlsContext named = tls.applicationProtocols().isEmpty() ? tls.withApplicationProtocols("http/1.1", "http/1.0") : tls;
        return named.withPlaintextAnswer(PLAIN_HTTP_TO_TLS_PORT);
    }

    /** Builds an {@link HttpServer}; see {@link TcpServer.Builder} for the shared options. */
    public static final class Builder {
        private final TcpServer.Builder tcp = TcpServer.builder();
        private final Router.Builder routes = new Router.Builder();
        private HttpLimits limits = HttpLimits.defaults();
        private long maxBuffered = -1;
        private Consumer<? super String> accessLog;
        private BiConsumer<? super Connection, ? super Throwable> onError = (connection, error) -> { };
        private final BlockingExecutor blocking = new BlockingExecutor();

        private Builder() {
        }

        /**
         * Hears of every exception a route or a handler throws, and of a route that answers
         * null, after it is logged (at WARNING, with the connection's addresses). A failing route
         * is answered 500 (or by the {@link #errorHandler}) and its connection closed after it; see {@link TcpServer.Builder#onError}.
         *
         * @param hook gets the connection and the exception
         * @return this builder
         */
        public Builder onError(BiConsumer<? super Connection, ? super Throwable> hook) {
            this.onError = Objects.requireNonNull(hook, "onError");
            tcp.onError(hook);
            return this;
        }

        /**
         * The address to bind; see {@link TcpServer.Builder#host}.
         *
         * @param host a name or address (default 127.0.0.1)
         * @return this builder
         */
        public Builder host(String host) {
            tcp.host(host);
            return this;
        }

        /**
         * The port to bind; see {@link TcpServer.Builder#port}.
         *
         * @param port 0 to 65535 (default 0: the kernel picks one)
         * @return this builder
         */
        public Builder port(int port) {
            tcp.port(port);
            return this;
        }

        /**
         * Listens on a Unix domain socket file instead of a host and port; see
         * {@link TcpServer.Builder#unixSocket}. Requests over it have no client IP:
         * {@link HttpRequest#remoteAddress()} is usually an unnamed Unix address.
         *
         * @param path the socket file, at most 107 bytes long
         * @return this builder
         */
        public Builder unixSocket(Path path) {
            tcp.unixSocket(path);
            return this;
        }

        /**
         * The Unix socket file's permissions; see {@link TcpServer.Builder#unixSocketPermissions}.
         *
         * @param permissions as {@code ls -l} shows them, e.g. {@code "rw-rw----"}
         * @return this builder
         */
        public Builder unixSocketPermissions(String permissions) {
            tcp.unixSocketPermissions(permissions);
            return this;
        }

        /**
         * The transport; see {@link TcpServer.Builder#transport}.
         *
         * @param transport how the loops wait for and do I/O (default {@link Transport#best()})
         * @return this builder
         */
        public Builder transport(Transport transport) {
            tcp.transport(transport);
            return this;
        }

        /**
         * How many loops; see {@link TcpServer.Builder#loops}.
         *
         * @param loops at least 1 (default 1)
         * @return this builder
         */
        public Builder loops(int loops) {
            tcp.loops(loops);
            return this;
        }

        /**
         * The socket options; see {@link TcpServer.Builder#options}.
         *
         * @param options the options (default {@link SocketOptions#defaults()})
         * @return this builder
         */
        public Builder options(SocketOptions options) {
            tcp.options(options);
            return this;
        }

        /**
         * Serves HTTPS: every connection speaks TLS, accepting {@code http/1.1} and
         * {@code http/1.0} in ALPN unless the context names its own protocols. A client speaking plain HTTP to the port is answered
         * {@code 400} in plain text and closed, as nginx does. Static files are read and
         * encrypted instead of going out by sendfile(2). See {@link TcpServer.Builder#tls}.
         *
         * @param tls a server's context, from {@link TlsContext#server()}
         * @return this builder
         */
        public Builder tls(TlsContext tls) {
            tcp.tls(https(tls));
            return this;
        }

        /**
         * Reads a PROXY protocol header (version 1 or 2) at the start of every connection, as a
         * balancer in front sends it, before TLS and HTTP see a byte: {@link HttpRequest#clientAddress()}
         * is then the client's address the balancer reported, while {@link HttpRequest#remoteAddress()}
         * stays the balancer's. A connection without a valid header is aborted unanswered. See
         * {@link TcpServer.Builder#proxyProtocol}.
         *
         * @param enabled whether to read the header (default false)
         * @return this builder
         */
        public Builder proxyProtocol(boolean enabled) {
            tcp.proxyProtocol(enabled);
            return this;
        }

        /**
         * How long a connection has to send its whole PROXY protocol header; see
         * {@link TcpServer.Builder#proxyHeaderTimeout}.
         *
         * @param timeout more than zero (default 5 s)
         * @return this builder
         */
        public Builder proxyHeaderTimeout(Duration timeout) {
            tcp.proxyHeaderTimeout(timeout);
            return this;
        }

        /**
         * Hands {@code lines} one line per answered request (a route's answer, or the refusal of a
         * malformed request), as its answer is finished, in the Common Log Format followed by the
         * answer's duration in microseconds and the balancer's address when the PROXY protocol
         * reported another client:
         * <pre>
         * 203.0.113.7 - - [07/Dec/2026:15:24:53 +0000] "GET /index.html HTTP/1.1" 200 6 153 127.0.0.1:41234
         * 127.0.0.1 - - [07/Dec/2026:15:24:54 +0000] "GET / HTTP/1.1" 200 6 41 -
         * </pre>
         * The fields: the client's address, two unused ones ({@code -}), the time (UTC), the request
         * line ({@code "-"} when refused before its head was whole), the status, the body's bytes,
         * the microseconds from the head's first byte to the answer, the socket's peer or {@code -}.
         * {@code lines} is called on the loops' threads, several at once with several loops: it
         * must be thread-safe, and quick, as the loop waits for it. Without an access log
         * (the default) requests cost nothing for it.
         *
         * @param lines takes each line, without a line break
         * @return this builder
         */
        public Builder accessLog(Consumer<? super String> lines) {
            this.accessLog = Objects.requireNonNull(lines, "accessLog");
            return this;
        }

        /**
         * At most this many connections open at once (default: no cap but the fd limit); past
         * it a new connection is answered 503 with {@code Connection: close} and closed.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnections(int max) {
            tcp.maxConnections(max).whenFull(serviceUnavailable());
            return this;
        }

        /**
         * The most the server's HTTP connections may hold in all: queued output and buffered
         * request bodies, across every loop. Past it, the connections holding the most (peers
         * that do not read what they asked for) are closed first, with a warning in the log, and a
         * request whose declared body would not fit is answered 503; everyone else is served as
         * before. Default: a quarter of the heap's maximum ({@code -Xmx}), which is also the
         * direct-memory limit unless {@code -XX:MaxDirectMemorySize} sets another; set it when you
         * set that flag.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxBuffered(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBuffered must be >= 1: " + bytes);
            }
            this.maxBuffered = bytes;
            return this;
        }

        /**
         * What a peer may send before it gets an error and a close.
         *
         * @param limits the limits (default {@link HttpLimits#defaults()})
         * @return this builder
         */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Answers {@code method} on {@code path} with {@code handler}. The path is exact
         * ({@code /users}), a pattern whose whole segments may be parameters ({@code /users/{id}},
         * read with {@link HttpRequest#pathParam}; a parameter matches one non-empty segment), or a
         * prefix route ending in {@code /*} ({@code /static/*} matches every path that starts with
         * {@code /static/}; what follows is the parameter {@code *}). Literal parts match the raw
         * bytes of the request's path; parameters are percent-decoded, and a malformed one is
         * answered 400.
         *
         * <p>The first route that matches the path and has the method answers: exact paths first,
         * then patterns (those with more literal segments first, then in the order declared), then
         * prefix routes (longest prefix first). A path that routes match without the method gets
         * 405 with {@code Allow}; a path no route matches, the {@link #notFound} answer (404).
         * HEAD is answered by the GET handler where there is no HEAD route; {@code OPTIONS *} with
         * {@code Allow} listing every route's methods.
         *
         * @param method GET, POST, ...: a method jepoll knows, in upper case (methods are case-sensitive)
         * @param path starts with {@code /}; no query, no spaces; a parameter's name is letters,
         *     digits and {@code _}, once per path; {@code *} only as the last segment, after no parameter
         * @param handler answers each request
         * @return this builder
         * @throws IllegalArgumentException when the method or the path is not allowed
         */
        public Builder route(String method, String path, HttpHandler handler) {
            routes.add(method, path, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Answers {@code method} on {@code path} later, without holding the loop: the handler
         * returns a stage, which may complete on any thread; see {@link AsyncHttpHandler}. Paths
         * as for {@link #route}. Answers still go out in request order: the connection reads its
         * next request once this one is answered.
         *
         * @param method as for {@link #route}
         * @param path as for {@link #route}
         * @param handler starts each answer
         * @return this builder
         * @throws IllegalArgumentException when the method or the path is not allowed
         */
        public Builder routeAsync(String method, String path, AsyncHttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return route(method, path, request -> HttpResponse.later(handler.handle(request)));
        }

        /**
         * Answers {@code method} on {@code path} with a handler that may block (a database call,
         * a file read), run on the {@link #blockingExecutor} instead of the loop. The request is
         * valid in it; the answer is sent on the loop.
         *
         * @param method as for {@link #route}
         * @param path as for {@link #route}
         * @param handler answers each request, on the executor's thread
         * @return this builder
         * @throws IllegalArgumentException when the method or the path is not allowed
         */
        public Builder routeBlocking(String method, String path, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return route(method, path, request ->
                    HttpResponse.later(CompletableFuture.supplyAsync(() -> handler.handle(request), blocking)));
        }

        /**
         * Where {@link #routeBlocking} handlers run (default: a virtual thread per request on JDK
         * 21 and later, else a pool of 64 daemon threads; made on first use and shut down with the
         * server). An executor given here is the caller's to shut down.
         *
         * @param executor runs blocking handlers
         * @return this builder
         */
        public Builder blockingExecutor(Executor executor) {
            blocking.use(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        /**
         * Answers {@code method} on {@code path} as soon as the request's head has arrived, with
         * the body still to come: the handler takes it as it arrives with
         * {@link HttpRequest#bodySource} (to pull it, e.g. into a {@link HttpResponse#stream}) or
         * {@link HttpRequest#receiveBody} (pushed, piece by piece), so a body of any length
         * streams through in bounded memory. The body limit applies only to what is buffered
         * while the handler is behind. What the handler leaves unread is read and dropped once
         * its answer is sent.
         *
         * @param method as for {@link #route}
         * @param path as for {@link #route}
         * @param handler answers each request; runs on the loop
         * @return this builder
         * @throws IllegalArgumentException when the method or the path is not allowed
         */
        public Builder routeStreaming(String method, String path, HttpHandler handler) {
            return route(method, path, new StreamingRoute(Objects.requireNonNull(handler, "handler")));
        }

        /**
         * Serves the files under {@code root} on GET and HEAD for every path under {@code prefix}:
         * {@code /static} serves {@code root/a/b.css} at {@code /static/a/b.css}; {@code /} serves
         * the whole tree (after any other route that matches). Sent with sendfile on the epoll
         * transports ({@code FileChannel.transferTo} on NIO and blocking), so a slow reader of a
         * large file costs no memory in proportion; {@code ETag}, {@code Last-Modified} and their
         * conditional requests (304), one {@code Range} (206, or 416), a directory's
         * {@code index.html} (else 403), 301 to a directory's slash form. A path that could leave
         * the root ({@code ..} raw or encoded, an encoded {@code /}, NUL) is 400; a hidden file, or
         * one whose real path (after symbolic links) is outside the root, 404.
         *
         * @param prefix {@code /}, or a path without a trailing slash, such as {@code /static}
         * @param root an existing directory
         * @return this builder
         * @throws IllegalArgumentException when the prefix is not allowed
         * @throws UncheckedIOException when the root is not a directory
         */
        public Builder staticFiles(String prefix, Path root) {
            String base = prefix.equals("/") ? "" : prefix;
            if (!prefix.startsWith("/") || base.endsWith("/")) {
                throw new IllegalArgumentException("a static prefix is / or a path without a trailing slash: " + prefix);
            }
            StaticFiles files;
            try {
                files = new StaticFiles(base, root);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("the static root " + root + " is not a directory", e);
            }
            return route("GET", base + "/*", files);
        }

        /**
         * Answers the requests no route's path matches (default: 404 with a text body). It runs as
         * a route does: if it throws or answers null, that is a failing route.
         *
         * @param handler answers a request for an unknown path
         * @return this builder
         */
        public Builder notFound(HttpHandler handler) {
            routes.notFound(Objects.requireNonNull(handler, "notFound"));
            return this;
        }

        /**
         * Answers for a route that threw or answered null, instead of the built-in 500; it is
         * called after the failure is logged and handed to {@link #onError}, and the connection
         * still closes after the answer. If it throws or answers null itself, that is logged and
         * the built-in 500 is sent. A {@link BadRequestException} is no failure: it is answered 400.
         *
         * @param handler gets the request and what the route threw (an {@link IllegalStateException}
         *     for a null answer) and returns the answer
         * @return this builder
         */
        public Builder errorHandler(
                BiFunction<? super HttpRequest, ? super RuntimeException, ? extends HttpResponse> handler) {
            routes.errorHandler(Objects.requireNonNull(handler, "errorHandler"));
            return this;
        }

        /**
         * The routes the command line serves: {@code GET /} gives {@code hello\n},
         * {@code GET /plaintext} gives {@code Hello, World!}, {@code POST /echo} streams the
         * request body back as it arrives, with its content type, and {@code GET /delay?ms=N}
         * answers after N milliseconds (at most a minute) without holding its loop; and the
         * {@link #healthCheck} at {@code GET /health}.
         *
         * @return this builder
         */
        public Builder builtInRoutes() {
            healthCheck("/health");
            route("GET", "/", request -> HELLO);
            route("GET", "/plaintext", request -> PLAINTEXT);
            routeStreaming("POST", "/echo", HttpServer::echo);
            routeAsync("GET", "/delay", HttpServer::delay);
            return this;
        }

        /**
         * A health check for load balancers at {@code GET path} (and HEAD): {@code 200 ok} while
         * the server serves, {@code 503 draining} once it drains ({@link HttpServer#drain}), so that
         * a balancer checking it sends new connections elsewhere before the server stops accepting.
         *
         * @param path the check's path, e.g. {@code /health}
         * @return this builder
         */
        public Builder healthCheck(String path) {
            return route("GET", path, request -> request.serverDraining() ? DRAINING : HEALTHY);
        }

        /** {@return the server, not started yet} */
        public HttpServer build() {
            return new HttpServer(tcp.handler(connectionHandlers()).build(), blocking);
        }

        /**
         * One HTTP handler per connection with these routes and limits, for serving HTTP on a
         * {@link TcpServer} configured elsewhere.
         *
         * @return makes one HTTP handler per connection
         */
        public Supplier<Handler> connectionHandlers() {
            Router router = routes.build();
            HttpLimits chosen = limits;
            BiConsumer<? super Connection, ? super Throwable> hook = onError;
            MemoryBudget budget = new MemoryBudget(maxBuffered > 0 ? maxBuffered : MemoryBudget.defaultLimit());
            AccessLog log = accessLog == null ? null : new AccessLog(accessLog);
            return () -> new HttpConnection(router, chosen, hook, budget, log);
        }
    }

    /** The body back as it arrives, with its content type: chunked when it came chunked, else with its length. */
    private static HttpResponse echo(HttpRequest request) {
        return HttpResponse.ECHO_BODY;
    }

    /** Answers after {@code ms} milliseconds by a timer of the connection's loop, which stays free meanwhile. */
    private static CompletableFuture<HttpResponse> delay(HttpRequest request) {
        long millis;
        try {
            millis = Long.parseLong(Objects.requireNonNullElse(request.queryParam("ms"), "0"));
        } catch (NumberFormatException e) {
            throw new BadRequestException("ms must be a number of milliseconds");
        }
        if (millis < 0 || millis > MAX_DELAY_MILLIS) {
            throw new BadRequestException("ms must be from 0 to " + MAX_DELAY_MILLIS);
        }
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        HttpResponse delayed = HttpResponse.text("delayed " + millis + " ms\n");
        request.connection.schedule(() -> answer.complete(delayed), millis, TimeUnit.MILLISECONDS);
        return answer;
    }
}
