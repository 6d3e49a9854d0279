package io.jepoll.http;

import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiConsumer;
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
 *         .build()
 *         .start();
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {

    private static final HttpResponse HELLO = HttpResponse.of(200, "text/plain",
            "hello\n".getBytes(StandardCharsets.US_ASCII));
    private static final HttpResponse PLAINTEXT = HttpResponse.of(200, "text/plain",
            "Hello, World!".getBytes(StandardCharsets.US_ASCII));

    private final TcpServer tcp;

    private HttpServer(TcpServer tcp) {
        this.tcp = tcp;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * For connections past a cap ({@link TcpServer.Builder#whenFull}): answers 503 with
     * {@code Connection: close} and closes, without reading a request.
     */
    public static Supplier<Handler> serviceUnavailable() {
        return ServiceUnavailable::new;
    }

    /** Binds and starts serving; see {@link TcpServer#start()}. */
    public HttpServer start() throws IOException {
        tcp.start();
        return this;
    }

    public InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    public int port() {
        return tcp.port();
    }

    public Transport transport() {
        return tcp.transport();
    }

    public LoopStats stats() {
        return tcp.stats();
    }

    /** The underlying TCP server: its loops and counters. */
    public TcpServer tcp() {
        return tcp;
    }

    @Override
    public void close() {
        tcp.close();
    }

    /** Builds an {@link HttpServer}; see {@link TcpServer.Builder} for the shared options. */
    public static final class Builder {
        private final TcpServer.Builder tcp = TcpServer.builder();
        private final Router.Builder routes = new Router.Builder();
        private HttpLimits limits = HttpLimits.defaults();
        private BiConsumer<? super Connection, ? super Throwable> onError = (connection, error) -> { };

        private Builder() {
        }

        /**
         * Hears of every exception a route or a handler throws, and of a route that answers
         * null, after it is logged (at WARNING, with the connection's addresses). A failing route
         * is answered 500 and its connection closed after it; see {@link TcpServer.Builder#onError}.
         */
        public Builder onError(BiConsumer<? super Connection, ? super Throwable> hook) {
            this.onError = Objects.requireNonNull(hook, "onError");
            tcp.onError(hook);
            return this;
        }

        public Builder host(String host) {
            tcp.host(host);
            return this;
        }

        public Builder port(int port) {
            tcp.port(port);
            return this;
        }

        public Builder transport(Transport transport) {
            tcp.transport(transport);
            return this;
        }

        public Builder loops(int loops) {
            tcp.loops(loops);
            return this;
        }

        public Builder options(SocketOptions options) {
            tcp.options(options);
            return this;
        }

        /**
         * At most this many connections open at once (default: no cap but the fd limit); past
         * it a new connection is answered 503 with {@code Connection: close} and closed.
         */
        public Builder maxConnections(int max) {
            tcp.maxConnections(max).whenFull(serviceUnavailable());
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Answers {@code method} (GET, POST, ...) on exactly {@code path} (no query) with {@code handler}. */
        public Builder route(String method, String path, HttpHandler handler) {
            routes.add(method, path, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * The routes the command line serves: {@code GET /} gives {@code hello\n},
         * {@code GET /plaintext} gives {@code Hello, World!}, {@code POST /echo} gives the
         * request body back with its content type.
         */
        public Builder builtInRoutes() {
            route("GET", "/", request -> HELLO);
            route("GET", "/plaintext", request -> PLAINTEXT);
            route("POST", "/echo", HttpServer::echo);
            return this;
        }

        public HttpServer build() {
            return new HttpServer(tcp.handler(connectionHandlers()).build());
        }

        /**
         * One HTTP handler per connection with these routes and limits, for serving HTTP on a
         * {@link TcpServer} configured elsewhere.
         */
        public Supplier<Handler> connectionHandlers() {
            Router router = routes.build();
            HttpLimits chosen = limits;
            BiConsumer<? super Connection, ? super Throwable> hook = onError;
            return () -> new HttpConnection(router, chosen, hook);
        }
    }

    /**
     * A view of the request's body, not a copy: the connection sends or copies a response
     * before it reads the next request into the same array.
     */
    private static HttpResponse echo(HttpRequest request) {
        String type = request.header("Content-Type");
        return HttpResponse.of(200, type != null ? type : "application/octet-stream", request.body());
    }
}
