package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.EchoClients;
import io.jepoll.echo.SeededBytes;
import io.jepoll.http.RawHttp.Response;
import io.jepoll.loop.Transport;
import io.jepoll.loop.LoopStats;
import io.jepoll.net.SocketOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The header, body and idle timeouts of {@link HttpLimits} close connections that stall, and
 * only those: a connection that keeps working meanwhile is answered throughout.
 */
@Timeout(30)
class TimeoutTest {

    /** Short enough for a quick test, long enough that a thread pausing between requests is not idle. */
    private static final Duration LIMIT = Duration.ofMillis(500);
    private static final HttpLimits LIMITS = HttpLimits.defaults().withHeaderTimeout(LIMIT).withBodyTimeout(LIMIT)
            .withIdleTimeout(LIMIT);
    private static final int ANSWERS = 40;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void stalledConnectionsAreClosedWhileAnActiveOneIsServed(Transport transport) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (HttpServer server = RawHttp.start(transport, LIMITS);
                RawHttp silent = RawHttp.connect(server);
                RawHttp partialHead = RawHttp.connect(server);
                RawHttp partialBody = RawHttp.connect(server);
                RawHttp idle = RawHttp.connect(server);
                RawHttp trickle = RawHttp.connect(server)) {
            partialHead.send("GET / HTTP/1.1\r\nHost: x\r\nX-Never-Ends: ");
            partialBody.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);

            // A slowloris: a byte of the head every 50 ms. The header timeout counts from the first byte.
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                byte[] head = RawHttp.bytes("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200));
                try {
                    for (int i = 0; i < head.length && !stop.get(); i++) {
                        trickle.send(new byte[] {head[i]});
                        Thread.sleep(50);
                    }
                } catch (Exception closed) {
                    // The server closed the connection: what the test waits for.
                }
            }, threads);

            // Meanwhile a client that keeps its connection busy (requests 25 ms apart) is answered every time.
            CompletableFuture<Integer> answered = CompletableFuture.supplyAsync(() -> {
                int count = 0;
                try (RawHttp active = RawHttp.connect(server)) {
                    for (int i = 0; i < ANSWERS; i++) {
                        active.send(i % 2 == 0 ? "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
                                : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
                        Response response = active.read();
                        if (response.status() == 200) {
                            count++;
                        }
                        Thread.sleep(25);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("the active connection failed after " + count + " answers", e);
                }
                return count;
            }, threads);

            assertThat(silent.closedByServer()).as("a connection that never sends a byte is closed").isTrue();
            assertThat(partialHead.closedByServer()).as("a head that never ends is closed").isTrue();
            assertThat(partialBody.closedByServer()).as("a body that never ends is closed").isTrue();
            assertThat(idle.closedByServer()).as("an idle keep-alive connection is closed").isTrue();
            assertThat(trickle.closedByServer()).as("a head trickling in a byte at a time is closed").isTrue();
            stop.set(true);
            trickling.get(RawHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(answered.get(RawHttp.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS))
                    .as("answers on the busy connection").isEqualTo(ANSWERS);
            try (RawHttp later = RawHttp.connect(server)) {
                later.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(later.read().bodyText()).isEqualTo("hello\n");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * A peer that asks for large answers and never reads them: its output backs up and reading
     * from it stops. With no byte moving either way, it is as stalled as an idle peer and must be
     * closed after the idle timeout, or every such peer holds a connection and its queued output
     * for ever (HttpConnection.check: "output still draining to a slow reader counts as activity";
     * here nothing drains).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPeerThatNeverReadsIsClosed(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.start(transport, LIMITS)) {
            neverRead(server);
        }
    }

    /**
     * A slow reader of a large answer is not a stalled peer: the answer takes many times every
     * timeout to read and must arrive whole. On BLOCKING the answer is written by a blocked
     * write, which the timers must see draining (BlockingConnection.pendingOutputBytes).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowReaderOfALargeAnswerGetsAllOfIt(Transport transport) throws Exception {
        int length = 1024 * 1024;
        long seed = 77;
        SocketOptions smallSendBuffer = SocketOptions.builder().sendBufferSize(64 * 1024).build();
        try (HttpServer server = RawHttp.builder(transport).limits(LIMITS).options(smallSendBuffer).build().start();
                Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
            socket.connect(server.localAddress());
            socket.getOutputStream().write(RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
                    + "\r\n\r\n"));
            socket.getOutputStream().write(SeededBytes.array(seed, length));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200 ");
            long started = System.nanoTime();
            // 8 KiB every 10 ms: 1 MiB takes over 1.3 s, more than twice every timeout.
            EchoClients.readAndVerify(in, seed, length, 8 * 1024, 10);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(LIMIT.multipliedBy(2));
        }
    }

    private static void neverRead(HttpServer server) throws Exception {
        // Closed before the server, which otherwise waits its shutdown grace for the output to drain.
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
            socket.connect(server.localAddress(), (int) RawHttp.TIMEOUT.toMillis());
            LoopStats before = server.stats();
            byte[] body = new byte[1024 * 1024];
            byte[] head = RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            CompletableFuture<Void> writer = EchoClients.inBackground("never-reading-writer", () -> {
                try {
                    for (int i = 0; i < 4; i++) {
                        socket.getOutputStream().write(head);
                        socket.getOutputStream().write(body);
                    }
                } catch (IOException closed) {
                    // The server closed the connection: expected.
                }
            });
            // Ten times the idle timeout and more: the server has had every chance to close it.
            RawHttp.awaitTrue("the server to close a connection whose peer never reads",
                    () -> server.stats().minus(before).connectionsClosed() >= 1);
        }
    }

    /**
     * A slow, steady upload completes: the body timeout is the wait between two reads, not a
     * deadline; to a buffered route, and to the streaming echo, whose answer takes each byte
     * straight from the input as it comes.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowSteadyBodyCompletesPastManyBodyTimeouts(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.start(transport, LIMITS)) {
            for (String path : new String[] {"/echo", "/stream-echo"}) {
                try (RawHttp client = RawHttp.connect(server)) {
                    client.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n");
                    for (char c : "steadily".toCharArray()) {
                        Thread.sleep(LIMIT.toMillis() / 2);
                        client.send(String.valueOf(c));
                    }
                    Response answer = client.read();

                    assertThat(answer.status()).as(path).isEqualTo(200);
                    assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).as(path).isEqualTo("steadily");
                }
            }
        }
    }

    /** With a minimum rate, a body that keeps trickling too slowly is cut off once the body timeout has passed. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyBelowTheMinimumRateIsClosed(Transport transport) throws Exception {
        HttpLimits limits = LIMITS.withMinBodyBytesPerSecond(1000);
        try (HttpServer server = RawHttp.start(transport, limits); RawHttp client = RawHttp.connect(server)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                Thread.sleep(LIMIT.toMillis() / 5);
                try {
                    client.send("x");
                } catch (IOException reset) {
                    closed = true;
                }
            }
            if (!closed) {
                // POST /echo streams: the body's first bytes may have come back before the close.
                assertThat(client.readToTheEnd()).as("what came before the close").doesNotContain("x".repeat(100));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the close")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Empty lines between requests start no request: the idle timeout still ends the connection. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void emptyLinesBetweenRequestsKeepTheIdleTimerRunning(Transport transport) throws Exception {
        HttpLimits limits = HttpLimits.defaults().withIdleTimeout(LIMIT).withHeaderTimeout(Duration.ofMinutes(1));
        try (HttpServer server = RawHttp.start(transport, limits); RawHttp client = RawHttp.connect(server)) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            try {
                for (int i = 0; i < 3; i++) {
                    client.send("\r\n");
                    Thread.sleep(LIMIT.toMillis() / 5);
                }
            } catch (IOException reset) {
                // Closed already: what the test waits for.
            }
            client.assertClosedByServer();
        }
    }

    /**
     * A head that trickles in on a keep-alive connection meets the header timeout, not the longer
     * idle timeout the connection was waiting under.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHeaderTimeoutHoldsForASecondRequestAfterALongIdleWait(Transport transport) throws Exception {
        HttpLimits limits = HttpLimits.defaults().withHeaderTimeout(LIMIT).withIdleTimeout(Duration.ofSeconds(20));
        try (HttpServer server = RawHttp.start(transport, limits); RawHttp client = RawHttp.connect(server)) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            Thread.sleep(LIMIT.multipliedBy(2).toMillis()); // past the timer's first check, which found it idle
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Never-Ends: ");

            client.assertClosedByServer();
        }
    }
}
