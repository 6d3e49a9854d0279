package io.jepoll.benchmarks.reference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Netty HTTP/1.1 server jepoll's HTTP load runs compare against, written as a good Netty
 * user writes a plaintext benchmark server (the shape of the TechEmpower Netty entry):
 * {@link HttpServerCodec} and one handler on one epoll loop thread (see {@link ReferenceServer}
 * for why one loop and why pooled direct buffers).
 *
 * <p>{@code GET /} is answered with the bytes jepoll sends, but for the server's name:
 * <pre>
 * HTTP/1.1 200 OK\r\nServer: netty\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nDate: Sun, 29 Nov 2026 21:23:49 GMT\r\n\r\nhello\n
 * </pre>
 * so both sides put the same bytes on the wire. Any other method or path gets 404 with an empty
 * body; a request Netty's decoder rejects gets 400 and the connection is closed. Connections are
 * kept alive unless the request says otherwise.
 *
 * <p>Responses are written as they are decoded and flushed once, in {@code channelReadComplete}:
 * the 16 pipelined requests of one read leave in one {@code writev}, as jepoll gathers the
 * answers of one read into one write. Flushing per response would make Netty pay a system call
 * per request that jepoll does not, and measure that instead of the loops.
 */
public final class NettyHttpServer {

    private NettyHttpServer() {
    }

    public static void main(String[] args) {
        System.exit(ReferenceServer.main("netty-http",
                "Netty HTTP/1.1 reference server: GET / answers hello, on one epoll loop thread.",
                NettyHttpServer::start, args));
    }

    /** Starts serving on {@code host:port} (port 0 for any free one); close the result to stop. */
    public static ReferenceServer start(String host, int port) throws IOException {
        HelloHandler hello = new HelloHandler();
        return ReferenceServer.start(host, port, pipeline -> pipeline.addLast(new HttpServerCodec(), hello));
    }

    /**
     * Answers every request of every connection. It is shared by all connections of a server,
     * and all of them are served by the server's one loop thread, so its date needs no lock.
     */
    @ChannelHandler.Sharable
    private static final class HelloHandler extends ChannelInboundHandlerAdapter {

        // Header names and values are built once: adding them to a response copies nothing.
        // The names keep jepoll's capitalisation (HttpHeaderNames' constants are lower case).
        private static final AsciiString SERVER = AsciiString.cached("Server");
        private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
        private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
        private static final AsciiString DATE = AsciiString.cached("Date");
        private static final AsciiString CONNECTION = AsciiString.cached("Connection");
        private static final AsciiString NETTY = AsciiString.cached("netty");
        private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
        private static final AsciiString SIX = AsciiString.cached("6");
        private static final AsciiString ZERO = AsciiString.cached("0");
        private static final AsciiString CLOSE = AsciiString.cached("close");
        private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

        /** The values are the constants above, so validating them per response would only cost. */
        private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

        /**
         * Never released: each response carries a retained duplicate, which the pooled
         * allocator recycles, so a response's body costs a reference count and no copy.
         */
        private static final ByteBuf HELLO = ReferenceServer.ALLOCATOR.directBuffer(6)
                .writeBytes("hello\n".getBytes(StandardCharsets.US_ASCII));

        private static final DateTimeFormatter IMF_FIXDATE =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

        private long dateSecond = -1;
        private AsciiString date;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
                    refuse(ctx, msg instanceof HttpRequest);
                } else if (msg instanceof HttpRequest request) {
                    answer(ctx, request);
                }
                // Anything else is the (empty) end of a request, already answered.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** One flush for everything this read decoded. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** A reset from a peer is routine under load; logging it would only slow the loop. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest request) {
            boolean hello = HttpMethod.GET.equals(request.method()) && "/".equals(request.uri());
            FullHttpResponse response = hello
                    ? response(HttpResponseStatus.OK, HELLO.retainedDuplicate(), SIX)
                    : response(HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER, ZERO);
            if (HttpUtil.isKeepAlive(request)) {
                if (!request.protocolVersion().isKeepAliveDefault()) {
                    response.headers().add(CONNECTION, KEEP_ALIVE);
                }
                ctx.write(response, ctx.voidPromise()); // no promise to allocate: nothing waits on it
            } else {
                response.headers().add(CONNECTION, CLOSE);
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /**
         * A request line or header the decoder rejected gets 400. A body it rejected belongs to
         * a request already answered, so there is nothing more to say. Either way the connection
         * closes once what is queued is written, as the decoder now discards everything.
         */
        private void refuse(ChannelHandlerContext ctx, boolean request) {
            Object last = Unpooled.EMPTY_BUFFER;
            if (request) {
                FullHttpResponse response = response(HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER, ZERO);
                response.headers().add(CONNECTION, CLOSE);
                last = response;
            }
            ctx.write(last).addListener(ChannelFutureListener.CLOSE);
        }

        /** Headers in jepoll's order; the encoder keeps the order they were added in. */
        private FullHttpResponse response(HttpResponseStatus status, ByteBuf body, AsciiString contentLength) {
            HttpHeaders headers = HEADERS.newHeaders().add(SERVER, NETTY);
            if (body.isReadable()) {
                headers.add(CONTENT_TYPE, TEXT_PLAIN);
            }
            headers.add(CONTENT_LENGTH, contentLength).add(DATE, date());
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, headers, EmptyHttpHeaders.INSTANCE);
        }

        /** The IMF-fixdate of the current second, formatted once a second. */
        private AsciiString date() {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                date = new AsciiString(IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
                dateSecond = second;
            }
            return date;
        }
    }
}
