package io.jepoll.benchmarks;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load side of the echo and HTTP benchmarks, built on jepoll's own client: one loop
 * thread holding N connections. A wave sends the same request on every connection and ends
 * when each has received its whole reply, so one wave is N round trips, all in flight at once.
 * Nothing is allocated per wave.
 */
final class WaveClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer request;
    private final int replyBytes;
    private final Runnable sendAll = this::sendAll;
    private Thread waiter;
    private int pending;
    private volatile boolean waveDone;

    /**
     * @param request sent on every connection in each wave
     * @param replyBytes how many bytes answer one request on one connection
     */
    WaveClient(InetSocketAddress server, int connections, ByteBuffer request, int replyBytes) throws IOException {
        this.request = request;
        this.replyBytes = replyBytes;
        this.group = EventLoopGroup.start(Transport.best(), 1, LoopConfig.defaults(), "bench-client");
        this.loop = group.loops().get(0);
        try {
            connectAll(server, connections);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The id of the client's loop thread, whose work and allocation are not the server's. */
    long loopThreadId() {
        CompletableFuture<Long> id = new CompletableFuture<>();
        loop.execute(() -> id.complete(Thread.currentThread().getId()));
        return id.join();
    }

    /** Sends one request on every connection and returns once every reply is complete. */
    void wave() {
        waiter = Thread.currentThread();
        waveDone = false;
        loop.execute(sendAll);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!waveDone) {
            LockSupport.parkNanos(this, 1_000_000);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replies on " + connections.size()
                        + " connections still incomplete after 30 s: the server stopped answering");
            }
        }
    }

    private void sendAll() {
        pending = connections.size();
        for (Connection connection : connections) {
            request.clear();
            connection.write(request);
        }
    }

    private void connectAll(InetSocketAddress server, int count) throws IOException {
        // In batches, so that the server's accept backlog never overflows.
        int batch = 128;
        for (int first = 0; first < count; first += batch) {
            List<CompletableFuture<Connection>> opening = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + batch); i++) {
                opening.add(group.connect(server, SocketOptions.defaults(), new ReplyCounter()));
            }
            for (CompletableFuture<Connection> connection : opening) {
                try {
                    connections.add(connection.get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new IOException("could not connect to " + server + ": " + e, e);
                }
            }
        }
    }

    @Override
    public void close() {
        group.shutdown(Duration.ofSeconds(1));
        try {
            group.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts reply bytes on one connection and ends the wave with the last complete reply. */
    private final class ReplyCounter implements Handler {
        private int received;

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            received += in.remaining();
            in.position(in.limit());
            while (received >= replyBytes) {
                received -= replyBytes;
                if (--pending == 0) {
                    waveDone = true;
                    LockSupport.unpark(waiter);
                }
            }
        }
    }
}
