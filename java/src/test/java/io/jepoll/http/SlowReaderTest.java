package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.EchoClients;
import io.jepoll.echo.ProcessResources;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slow readers of large answers: {@value #SLOW_CLIENTS} clients each pipeline
 * {@value #REQUESTS_PER_CLIENT} {@code POST /echo} requests of 8 MiB (the default body limit) of
 * seeded random bytes, read nothing until the server has stopped reading from them, and then
 * read the echoes slowly: through a 16 KiB receive buffer, 8 KiB at a time, with a pause after
 * every read. Every head and every byte comes back, in order; a client asking {@code GET /}
 * meanwhile has all its answers before any slow reader is done; and the server's memory stays
 * bounded.
 *
 * <p>Where an echo's bytes are held in the server, and so the bound:
 * <ul>
 * <li>The request body is read into a heap array of the connection, at most
 *     {@code maxBodyBytes} (RequestParser answers 413 past it).
 * <li>The answer is a view of that array. The readiness transports write what the socket takes
 *     and copy the rest into the connection's output queue of pooled direct chunks, then drop
 *     the array. BLOCKING sends from the array itself, its write blocking until the socket has
 *     taken every byte, and drops it after.
 * <li>Once the queue is over the high-water mark the connection answers nothing more and stops
 *     reading (SocketConnection.write, ResponseWriter.writable); BLOCKING stops because its one
 *     thread is in the write. Reading resumes below the low-water mark, so the next body may
 *     be read while up to {@code lowWaterMark} of an answer is still queued.
 * </ul>
 * Let {@code F} be the heap an array of {@code maxBodyBytes} takes: more than its length where
 * the collector keeps large arrays in whole regions (G1 with 4 MiB regions: 12 MiB for 8 MiB),
 * measured by the test. Then, in heap and direct memory together, per connection:
 * <ul>
 * <li>held back, with one answer outstanding, at most {@code F + highWaterMark}: the answer
 *     (queued, or the array a blocked write sends from) and the connection's buffers, which the
 *     high-water mark's 256 KiB covers;
 * <li>while its client reads, at most {@code F + maxBodyBytes + highWaterMark}: a body being
 *     read and an answer queued.
 * </ul>
 * Per server add {@link #PER_SERVER}, whatever the number of connections. The test measures
 * after a full GC, once with the clients held back and every 200 ms while they read. A server
 * that answered all three pipelined requests at once would queue 24 MiB a connection; one that
 * kept a body it had answered would hold {@code F} more than the first bound. The bytes the
 * server read while the clients read nothing show the same without the GC: at most one request
 * and one read buffer a connection. On the readiness transports the most output a connection
 * ever queued is checked too: past the high-water mark (the slow readers held it back), and at
 * most {@code maxBodyBytes + lowWaterMark} and a head. BLOCKING queues nothing: its writes block.
 */
@Timeout(120)
class SlowReaderTest {

    private static final int SLOW_CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 3;
    private static final HttpLimits LIMITS = HttpLimits.defaults();
    private static final LoopConfig LOOP = LoopConfig.defaults();
    private static final int BODY_BYTES = Math.toIntExact(LIMITS.maxBodyBytes());
    private static final String CONTENT_TYPE = "application/x-seeded";
    private static final byte[] REQUEST_HEAD = RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: slow\r\nContent-Type: "
            + CONTENT_TYPE + "\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n");
    private static final long REQUEST_BYTES = REQUEST_HEAD.length + (long) BODY_BYTES;
    /** Set before connecting, so that the TCP window is small from the start. */
    private static final int CLIENT_RECEIVE_BUFFER = 16 * 1024;
    /**
     * Left to the kernel, the server's send buffer grows to tcp_wmem's maximum (4 MiB here) and
     * holds half an answer outside the process, where this test cannot see it.
     */
    private static final int SERVER_SEND_BUFFER = 64 * 1024;
    private static final int SLOW_READ_BYTES = 8 * 1024;
    private static final long SLOW_READ_PAUSE_MILLIS = 1;
    private static final int FAST_REQUESTS = 100;
    /** An answer's head: status line, Server, Content-Type, Content-Length, Date. */
    private static final int MAX_ANSWER_HEAD = 1024;
    private static final long MAX_QUEUED = BODY_BYTES + LOOP.lowWaterMark() + MAX_ANSWER_HEAD;
    /**
     * A loop's idle output chunks (BufferPool keeps 64 of 64 KiB: 4 MiB), and as much again for
     * the loop's own buffers (java.nio caches a direct copy of at most one read buffer per thread:
     * heap bytes are written in pieces) and this test's clients.
     */
    private static final long PER_SERVER = 8L << 20;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void slowReadersOfEightMibEchoesGetEveryByteWhileTheServersMemoryStaysBounded(Transport transport)
            throws Exception {
        AtomicLong maxQueued = new AtomicLong();
        Supplier<Handler> http = HttpServer.builder().limits(LIMITS).builtInRoutes()
                .route("POST", "/echo", RawHttp::bufferedEcho).connectionHandlers();
        List<Socket> sockets = new ArrayList<>();
        try (TcpServer server = EchoClients.echoServer(transport)
                .options(SocketOptions.builder().sendBufferSize(SERVER_SEND_BUFFER).build())
                .handler(() -> new QueueProbe(http.get(), maxQueued)).build().start();
                RawHttp fast = RawHttp.connect(server.localAddress())) {
            long bodyArray = heapFootprint(BODY_BYTES);
            long heldBackBound = SLOW_CLIENTS * (bodyArray + LOOP.highWaterMark()) + PER_SERVER;
            long readingBound = SLOW_CLIENTS * (bodyArray + BODY_BYTES + LOOP.highWaterMark()) + PER_SERVER;
            ProcessResources.Memory base = ProcessResources.afterGc();

            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int c = 0; c < SLOW_CLIENTS; c++) {
                Socket socket = EchoClients.connect(server.localAddress(), CLIENT_RECEIVE_BUFFER);
                sockets.add(socket);
                int client = c;
                writers.add(EchoClients.inBackground("slow-writer-" + c, () -> writeRequests(socket, client)));
            }

            EchoClients.awaitTrue("every slow client's first request read by the server",
                    () -> server.stats().bytesRead() >= SLOW_CLIENTS * REQUEST_BYTES);
            long readWhileHeldBack = EchoClients.awaitNoProgress("the bytes the server reads",
                    () -> server.stats().bytesRead(), Duration.ofMillis(500));
            assertThat(readWhileHeldBack)
                    .as("bytes the server read from %d clients that pipelined %d requests of %d bytes and read"
                            + " nothing: at most one request and one read buffer each", SLOW_CLIENTS,
                            REQUESTS_PER_CLIENT, REQUEST_BYTES)
                    .isLessThanOrEqualTo(SLOW_CLIENTS * (REQUEST_BYTES + LOOP.readBufferSize()));
            ProcessResources.Memory heldBack = ProcessResources.afterGc();
            assertThat(growth(heldBack, base)).as("heap + direct growth with every slow client held back (%s;"
                    + " before: %s; a body array takes %,d)", heldBack, base, bodyArray)
                    .isLessThanOrEqualTo(heldBackBound);

            AtomicInteger readersDone = new AtomicInteger();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int c = 0; c < SLOW_CLIENTS; c++) {
                Socket socket = sockets.get(c);
                int client = c;
                readers.add(EchoClients.inBackground("slow-reader-" + c, () -> {
                    readAnswersSlowly(socket, client);
                    readersDone.incrementAndGet();
                }));
            }
            CompletableFuture<Integer> fastDone = new CompletableFuture<>();
            CompletableFuture<Void> fastClient = EchoClients.inBackground("fast-client", () -> {
                for (int i = 0; i < FAST_REQUESTS; i++) {
                    RawHttp.Response answer = fast.send("GET / HTTP/1.1\r\nHost: fast\r\n\r\n").read();
                    assertThat(answer.status()).as("status of fast request %d", i).isEqualTo(200);
                    assertThat(answer.bodyText()).as("body of fast request %d", i).isEqualTo("hello\n");
                }
                fastDone.complete(readersDone.get());
            });

            CompletableFuture<Void> allRead = CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new));
            long peak = 0;
            ProcessResources.Memory atPeak = heldBack;
            while (!allRead.isDone()) {
                ProcessResources.Memory now = ProcessResources.afterGc();
                if (growth(now, base) > peak) {
                    peak = growth(now, base);
                    atPeak = now;
                }
                Thread.sleep(200);
            }
            for (CompletableFuture<Void> reader : readers) {
                EchoClients.await(reader);
            }
            for (CompletableFuture<Void> writer : writers) {
                EchoClients.await(writer);
            }
            EchoClients.await(fastClient);
            assertThat(fastDone.get()).as("slow readers done when the fast client had its %d answers",
                    FAST_REQUESTS).isZero();
            assertThat(peak).as("largest heap + direct growth while the clients read slowly (%s; before: %s;"
                    + " a body array takes %,d)", atPeak, base, bodyArray).isLessThanOrEqualTo(readingBound);
            if (transport != Transport.BLOCKING) {
                // Past the high-water mark, or the slow readers were not what held the answers back.
                assertThat(maxQueued.get()).as("most output a connection queued")
                        .isGreaterThan(LOOP.highWaterMark()).isLessThanOrEqualTo(MAX_QUEUED);
            }

            for (Socket socket : sockets) {
                socket.close();
            }
            fast.close();
            EchoClients.awaitTrue("the server to close every connection",
                    () -> server.stats().connectionsClosed() == SLOW_CLIENTS + 1);
            ProcessResources.Memory after = ProcessResources.afterGc();
            assertThat(growth(after, base)).as("heap + direct growth once every connection closed (%s; before: %s)",
                    after, base).isLessThanOrEqualTo(PER_SERVER);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The live heap an array of {@code length} bytes takes, at least its length. */
    private static long heapFootprint(int length) throws InterruptedException {
        ProcessResources.Memory without = ProcessResources.afterGc();
        byte[] array = new byte[length];
        ProcessResources.Memory with = ProcessResources.afterGc();
        Reference.reachabilityFence(array);
        return Math.max(length, with.heapBytes() - without.heapBytes());
    }

    /** Heap and direct memory gained since {@code base}. */
    private static long growth(ProcessResources.Memory now, ProcessResources.Memory base) {
        return now.heapBytes() - base.heapBytes() + now.directBytes() - base.directBytes();
    }

    private static long seed(int client, int request) {
        return 8_000_000L + 100L * client + request;
    }

    /** Pipelines every request, each body streamed from its seed; blocks while the server holds it back. */
    private static void writeRequests(Socket socket, int client) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] piece = new byte[64 * 1024];
        for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
            out.write(REQUEST_HEAD);
            SeededBytes body = new SeededBytes(seed(client, r));
            for (int sent = 0; sent < BODY_BYTES; sent += piece.length) {
                body.fill(piece);
                out.write(piece);
            }
        }
        out.flush();
    }

    private static void readAnswersSlowly(Socket socket, int client) throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), SLOW_READ_BYTES);
        for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
            String head = RawHttp.readHead(in);
            String which = "answer " + r + " to slow client " + client;
            assertThat(head).as("head of %s", which).startsWith("HTTP/1.1 200 ")
                    .containsIgnoringCase("\r\nContent-Length: " + BODY_BYTES + "\r\n")
                    .containsIgnoringCase("\r\nContent-Type: " + CONTENT_TYPE + "\r\n");
            EchoClients.readAndVerify(in, seed(client, r), BODY_BYTES, SLOW_READ_BYTES, SLOW_READ_PAUSE_MILLIS);
        }
    }

    /** Serves HTTP, and records the most output any connection had queued after a callback. */
    private static final class QueueProbe implements Handler {
        private final Handler http;
        private final AtomicLong maxQueued;

        QueueProbe(Handler http, AtomicLong maxQueued) {
            this.http = http;
            this.maxQueued = maxQueued;
        }

        @Override
        public void onOpen(Connection connection) {
            http.onOpen(connection);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            http.onData(connection, in);
            maxQueued.accumulateAndGet(connection.pendingOutputBytes(), Math::max);
        }

        @Override
        public void onWritable(Connection connection) {
            http.onWritable(connection);
        }

        @Override
        public void onInputShutdown(Connection connection) {
            http.onInputShutdown(connection);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            http.onClose(connection, cause);
        }
    }
}
