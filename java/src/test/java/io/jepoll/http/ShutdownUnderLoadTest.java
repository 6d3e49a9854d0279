package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A graceful shutdown while clients are busy: every request in flight is either answered in
 * full or its connection is closed before any byte of an answer (never a response cut short),
 * a large answer being read slowly is sent to its end, connections stuck halfway through
 * sending a body are closed, and the server's threads have all ended when {@code shutdown}
 * returns, well within its grace period.
 */
@Timeout(120)
class ShutdownUnderLoadTest {

    private static final int BUSY_CLIENTS = 24;
    private static final int STALLED_CLIENTS = 4;
    private static final int SLOW_READERS = 2;
    /** Far more than the socket buffers hold: most of it is still queued in the server at shutdown. */
    private static final int LARGE_BODY = 1024 * 1024;
    private static final int LOOPS = 2;
    private static final int BODY = 32 * 1024;
    /** Far more than the flush needs: what is tested is that everything is sent, not how fast. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** Left to the kernel, the send buffer grows to megabytes and holds the answers outside jepoll. */
    private static final SocketOptions SMALL_SEND_BUFFER = SocketOptions.builder().sendBufferSize(64 * 1024).build();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void inFlightRequestsAreAnsweredOrClosedAndEveryThreadEnds(Transport transport) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ExecutorService clients = Executors.newFixedThreadPool(BUSY_CLIENTS + STALLED_CLIENTS + SLOW_READERS);
        AtomicInteger answered = new AtomicInteger();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport).loops(LOOPS).options(SMALL_SEND_BUFFER).build()
                        .start()) {
            List<CompletableFuture<String>> busy = new ArrayList<>();
            for (int i = 0; i < BUSY_CLIENTS; i++) {
                int id = i;
                busy.add(CompletableFuture.supplyAsync(() -> requestUntilClosed(server, id, answered), clients));
            }
            List<CompletableFuture<String>> stalled = new ArrayList<>();
            for (int i = 0; i < STALLED_CLIENTS; i++) {
                stalled.add(CompletableFuture.supplyAsync(() -> stallMidBody(server), clients));
            }
            RawHttp.awaitTrue("every busy client to be answered a few times",
                    () -> answered.get() >= BUSY_CLIENTS * 20);
            List<CompletableFuture<String>> slowReaders = new ArrayList<>();
            List<CompletableFuture<Void>> answersStarted = new ArrayList<>();
            AtomicLong slowlyReceived = new AtomicLong();
            for (int i = 0; i < SLOW_READERS; i++) {
                CompletableFuture<Void> answerStarted = new CompletableFuture<>();
                answersStarted.add(answerStarted);
                int seed = 1000 + i;
                slowReaders.add(CompletableFuture.supplyAsync(
                        () -> readSlowly(server, seed, answerStarted, slowlyReceived), clients));
            }
            CompletableFuture.allOf(answersStarted.toArray(CompletableFuture[]::new))
                    .get(RawHttp.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(slowlyReceived.get()).as("bytes the slow readers had read at shutdown")
                    .isLessThan(SLOW_READERS * LARGE_BODY / 2);
            long started = System.nanoTime();
            server.tcp().shutdown(GRACE);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(server.tcp().loops().awaitTermination(Duration.ZERO)).as("loops terminated").isTrue();
            assertThat(took).as("shutdown, the slow readers' answers being the slowest to flush").isLessThan(GRACE);
            for (CompletableFuture<String> client : busy) {
                assertThat(client.get(RawHttp.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("closed between answers");
            }
            for (CompletableFuture<String> client : slowReaders) {
                assertThat(client.get(RawHttp.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("answered, then closed");
            }
            for (CompletableFuture<String> client : stalled) {
                assertThat(client.get(RawHttp.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("closed");
            }
            assertThat(server.stats().connectionsClosed()).isEqualTo(server.stats().connectionsOpened());
            assertThat(jepollThreadsStartedSince(before)).as("the server's threads still alive").isEmpty();
            assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Alternates {@code GET /} and a 32 KiB {@code POST /echo} on one keep-alive connection,
     * checking each answer, until the server closes the connection; fails if that happens
     * inside an answer.
     */
    private static String requestUntilClosed(HttpServer server, int id, AtomicInteger answered) {
        SplittableRandom random = new SplittableRandom(id);
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int n = 0; ; n++) {
                byte[] body = new byte[n % 2 == 0 ? 0 : BODY];
                random.nextBytes(body);
                byte[] expected = body.length == 0 ? RawHttp.bytes("hello\n") : body;
                try {
                    if (body.length == 0) {
                        out.write(RawHttp.bytes("GET / HTTP/1.1\r\nHost: busy\r\n\r\n"));
                    } else {
                        out.write(RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: busy\r\nContent-Length: " + BODY
                                + "\r\n\r\n"));
                        out.write(body);
                    }
                } catch (SocketException closed) {
                    return "closed between answers";
                }
                String outcome = readAnswer(in, expected);
                if (outcome != null) {
                    return outcome;
                }
                answered.incrementAndGet();
            }
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Null when the whole expected answer came; otherwise how the connection ended. */
    private static String readAnswer(InputStream in, byte[] expectedBody) throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketException reset) {
            return "closed between answers";
        }
        if (first < 0) {
            return "closed between answers";
        }
        byte[] head = RawHttp.bytes("HTTP/1.1 200 OK\r\n");
        byte[] rest = in.readNBytes(head.length - 1);
        if (first != head[0] || !Arrays.equals(rest, Arrays.copyOfRange(head, 1, head.length))) {
            return "wrong status line";
        }
        int contentLength = -1;
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return "cut short in the head";
            }
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            String header = line.toString().strip();
            line.setLength(0);
            if (header.isEmpty()) {
                break;
            }
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Integer.parseInt(header.substring(15).strip());
            }
        }
        if (contentLength != expectedBody.length) {
            return "Content-Length " + contentLength + " for a body of " + expectedBody.length;
        }
        byte[] body = in.readNBytes(contentLength);
        if (body.length < contentLength) {
            return "cut short in the body";
        }
        return Arrays.equals(body, expectedBody) ? null : "wrong body";
    }

    /**
     * Asks for a 1 MiB echo and reads it at most 16 KiB every 5 ms, so that the shutdown comes
     * while most of it is queued in the server, which must send all of it.
     */
    private static String readSlowly(HttpServer server, int seed, CompletableFuture<Void> answerStarted,
            AtomicLong received) {
        byte[] body = new byte[LARGE_BODY];
        new SplittableRandom(seed).nextBytes(body);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
            socket.connect(server.localAddress());
            socket.getOutputStream().write(RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: slow\r\nContent-Length: "
                    + LARGE_BODY + "\r\n\r\n"));
            socket.getOutputStream().write(body);
            InputStream in = new SlowInput(socket.getInputStream(), answerStarted, received);
            String outcome = readAnswer(in, body);
            if (outcome != null) {
                return outcome;
            }
            return in.read() < 0 ? "answered, then closed" : "more after the answer";
        } catch (IOException e) {
            return "failed: " + e;
        } finally {
            answerStarted.complete(null);
        }
    }

    /** Hands out the body at most 16 KiB per read, a read every 5 ms; counts what it hands out. */
    private static final class SlowInput extends InputStream {
        private final InputStream in;
        private final CompletableFuture<Void> firstByte;
        private final AtomicLong received;

        SlowInput(InputStream in, CompletableFuture<Void> firstByte, AtomicLong received) {
            this.in = in;
            this.firstByte = firstByte;
            this.received = received;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            firstByte.complete(null);
            received.incrementAndGet();
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int n = in.read(buffer, offset, Math.min(length, 16 * 1024));
            firstByte.complete(null);
            received.addAndGet(Math.max(n, 0));
            return n;
        }
    }

    /** Sends half a body and waits: the server has nothing to answer, so shutdown closes it. */
    private static String stallMidBody(HttpServer server) {
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoTimeout((int) (GRACE.toMillis() + RawHttp.TIMEOUT.toMillis()));
            socket.getOutputStream().write(RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: stalled\r\nContent-Length: "
                    + BODY + "\r\n\r\n" + "x".repeat(BODY / 2)));
            try {
                return socket.getInputStream().read() < 0 ? "closed" : "answered before its body was complete";
            } catch (SocketException reset) {
                return "closed";
            }
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Threads the server started, by jepoll's thread names: loops, acceptors and connection threads. */
    private static List<String> jepollThreadsStartedSince(Set<Thread> before) throws InterruptedException {
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.getName().startsWith("jepoll-"))
                .collect(Collectors.toList());
        for (Thread thread : started) {
            thread.join(RawHttp.TIMEOUT.toMillis());
        }
        return started.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
