package io.jepoll.benchmarks.reference;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * The Netty echo server jepoll's echo load runs compare against: Netty's own EchoServer
 * example on one epoll loop thread (see {@link ReferenceServer} for why one loop and why pooled
 * direct buffers). Each buffer read is written back as it is, without a copy, and the writes
 * of one read are flushed once, in {@code channelReadComplete}: one {@code writev} per read, as
 * jepoll's echo handler writes once per read. Like the example, it reads on while writes are
 * queued, so unlike jepoll it holds whatever a peer sends without reading; a load driver
 * that reads back what it sends never sees the difference.
 */
public final class NettyEchoServer {

    private static final EchoHandler ECHO = new EchoHandler();

    private NettyEchoServer() {
    }

    public static void main(String[] args) {
        System.exit(ReferenceServer.main("netty-echo",
                "Netty echo reference server: writes back what it reads, on one epoll loop thread.",
                NettyEchoServer::start, args));
    }

    /** Starts serving on {@code host:port} (port 0 for any free one); close the result to stop. */
    public static ReferenceServer start(String host, int port) throws IOException {
        return ReferenceServer.start(host, port, pipeline -> pipeline.addLast(ECHO));
    }

    /** Keeps no state, so one instance serves every connection. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {

        /** The write takes over the buffer, which the pool gets back once it is sent. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise()); // no promise to allocate: nothing waits on it
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** A reset from a peer is routine under load; logging it would only slow the loop. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
