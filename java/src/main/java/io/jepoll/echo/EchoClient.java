package io.jepoll.echo;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpClient;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An echo client on jepoll's own loops: one message, or a load that checks every byte. */
public final class EchoClient {

    /** Bytes a load connection keeps in flight: sent but not yet echoed. */
    static final int WINDOW = 256 * 1024;

    private EchoClient() {
    }

    /**
     * Sends {@code message} on a new connection and reads as many bytes back.
     *
     * @param client the client whose loops the connection runs on
     * @param server the echo server's address
     * @param message the bytes to send
     * @return completes with the bytes echoed back, or fails with why they did not all come
     */
    public static CompletableFuture<byte[]> send(TcpClient client, SocketAddress server, byte[] message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        client.connect(server, new Handler() {
            private final ByteBuffer received = ByteBuffer.allocate(message.length);

            @Override
            public void onOpen(Connection connection) {
                connection.write(ByteBuffer.wrap(message));
                if (message.length == 0) {
                    reply.complete(message);
                    connection.close();
                }
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                int n = Math.min(in.remaining(), received.remaining());
                received.put(received.position(), in, in.position(), n);
                received.position(received.position() + n);
                in.position(in.position() + n);
                if (!received.hasRemaining()) {
                    reply.complete(received.array());
                    connection.close();
                }
            }

            @Override
            public void onClose(Connection connection, Throwable cause) {
                reply.completeExceptionally(cause != null ? cause
                        : new IOException("the server closed after " + received.position() + " of "
                                + message.length + " bytes"));
            }
        }).whenComplete((connection, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }

    /**
     * Opens {@code connections} connections that each send {@code bytes} pseudo-random bytes
     * (a different stream each) and check every echoed byte.
     *
     * @param client the client whose loops the connections run on
     * @param server the echo server's address
     * @param connections how many connections, all at once
     * @param bytes how many bytes each connection sends and checks
     * @return completes when all are done; fails with the first mismatch or error
     */
    public static CompletableFuture<Void> load(TcpClient client, SocketAddress server, int connections,
            long bytes) {
        List<CompletableFuture<Void>> all = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            client.connect(server, new LoadHandler(i + 1, bytes, done))
                    .whenComplete((connection, error) -> {
                        if (error != null) {
                            done.completeExceptionally(error);
                        }
                    });
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Sends its stream a window at a time and checks the echo against the same stream. */
    private static final class LoadHandler implements Handler {
        private final PatternStream outgoing;
        private final PatternStream expected;
        private final long total;
        private final CompletableFuture<Void> done;
        private final ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
        private long sent;
        private long received;

        LoadHandler(long seed, long total, CompletableFuture<Void> done) {
            this.outgoing = new PatternStream(seed);
            this.expected = new PatternStream(seed);
            this.total = total;
            this.done = done;
        }

        @Override
        public void onOpen(Connection connection) {
            sendMore(connection);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            while (in.hasRemaining()) {
                byte actual = in.get();
                byte wanted = expected.next();
                if (actual != wanted) {
                    done.completeExceptionally(new IOException("byte " + received + " differs: sent " + wanted
                            + ", got " + actual));
                    connection.abort();
                    return;
                }
                received++;
            }
            if (received == total) {
                done.complete(null);
                connection.close();
                return;
            }
            sendMore(connection);
        }

        @Override
        public void onWritable(Connection connection) {
            sendMore(connection);
        }

        private void sendMore(Connection connection) {
            while (sent < total && sent - received < WINDOW) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), total - sent));
                outgoing.fill(chunk);
                sent += chunk.flip().remaining();
                if (!connection.write(chunk)) {
                    return;
                }
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (!done.isDone()) {
                done.completeExceptionally(cause != null ? cause
                        : new IOException("the server closed after echoing " + received + " of " + total + " bytes"));
            }
        }
    }
}
