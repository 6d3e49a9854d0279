package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.ProcessResources;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Leaks: many connections of mixed good and bad traffic through one HTTP server leave the
 * process with the same open fds and no more memory than before, native or heap.
 *
 * <p>The traffic, by connection number modulo 20: 5 keep-alive connections with three
 * {@code GET /} and a last one with {@code Connection: close}; 4 {@code POST /echo} with
 * {@code Connection: close}; 3 of random bytes (400 and a close); 1 head cut short and
 * half-closed; 2 resets (SO_LINGER 0) mid-head and 2 mid-body; 3 whole requests closed without
 * reading the answer, from eight client threads. Every answer is checked, and how each
 * connection went is counted for the messages.
 *
 * <p>Ports: a client that closes first leaves a TIME_WAIT on its side for 60 s, and
 * net.ipv4.ip_local_port_range gives 28,232 ports, so 100,000 such connections to one port
 * would run out. Only the cut heads close first on the client: 5,000 per 100,000. The server
 * closes first after every answer with {@code Connection: close}, so those TIME_WAITs are on its
 * side, where a new SYN from the same client port is accepted; resets leave none, nor does
 * closing with an answer unread (the kernel resets). Nothing here relies on
 * net.ipv4.tcp_tw_reuse.
 *
 * <p>How many: 100,000 connections on EPOLL_ET, the default transport; 25,000 on EPOLL_LT and
 * NIO, which share its connection code (SocketConnection) and differ in the loop; 10,000 on
 * BLOCKING, whose thread per connection manages some 1,700 a second on two cores. The four take
 * about 35 s together, after a warm-up of {@value #WARM_UP} connections each (classes loaded,
 * code compiled, the loop's pool filled). Over TLS, where a handshake costs both ends some 5 ms
 * of CPU here, {@value #TLS_FEWER} times fewer (2,500 on EPOLL_ET), after {@value #TLS_WARM_UP} to warm up; the
 * clients resume their sessions, as browsers do, so the server's session cache stays small.
 *
 * <p>After the warm-up, and again once the server has counted every connection closed, each
 * after a full GC:
 * <ul>
 * <li>open fds (/proc/self/fd): the same;
 * <li>direct buffers: at most {@link #DIRECT_SLACK} more, however many connections: a readiness
 *     loop keeps up to 64 idle output chunks of a read buffer each (4 MiB) for reuse, and 1 MiB
 *     is for java.nio's own cached temporary buffers. A buffer kept per connection would be
 *     64 KiB each;
 * <li>malloc'd memory (glibc's mallinfo2, in use): at most {@link #MALLOC_SLACK} more. JNA's
 *     {@code Memory} is malloc'd and nothing else counts it; the JIT's arenas move this by up
 *     to 15 MiB between two measurements with nothing leaking, so this catches a leak of about
 *     300 bytes a connection at 100,000 (the library allocates its Memory per loop, and per
 *     address lookup, freed at once);
 * <li>live heap: at most {@value #HEAP_PER_CONNECTION} bytes a connection and
 *     {@link #HEAP_SLACK}. A timer cancelled when its connection closes stays in the loop's queue
 *     until its deadline (the 10 s header timeout) as a 32-byte shell; a closed connection's
 *     handler and state, some 6 KiB, must not stay with it.
 * </ul>
 * The resident set is in the messages but not bounded: after a full GC, G1 gives memory back to
 * the system later, on a thread of its own, and glibc keeps what was freed in its arenas; it
 * grew by 90 to 190 MB here with nothing leaking.
 */
@Timeout(180)
class ConnectionLeakTest {

    private static final int WARM_UP = 2_000;
    /** Over TLS, this many times fewer connections, warm-up included: see the class comment. */
    private static final int TLS_FEWER = 40;
    private static final int TLS_WARM_UP = 500;
    private static final int CLIENT_THREADS = 8;
    private static final long DIRECT_SLACK = 64L * LoopConfig.defaults().readBufferSize() + (1 << 20);
    private static final long MALLOC_SLACK = 32L << 20;
    private static final long HEAP_PER_CONNECTION = 64;
    private static final long HEAP_SLACK = 4L << 20;
    private static final String GET = "GET / HTTP/1.1\r\nHost: leak\r\n\r\n";
    private static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: leak\r\nConnection: close\r\n\r\n";

    /** What one connection does; {@link #MIX} says how often. */
    private enum Kind {
        /** Three keep-alive {@code GET /}, then one with {@code Connection: close}: the server closes first. */
        KEEP_ALIVE,
        /** {@code POST /echo} of a small seeded body with {@code Connection: close}. */
        ECHO_CLOSE,
        /**
         * Random bytes ending as a head ends: 400 with {@code Connection: close}, and the server
         * closes first. (Without the end, bytes that happen to hold no CR or LF are a head still
         * arriving, which only the header timeout ends.)
         */
        GARBAGE,
        /** A head cut short, then the client half-closes: the server closes, answering at most an error. */
        CUT_HEAD,
        /** A reset (SO_LINGER 0) mid-head. */
        RESET_HEAD,
        /** A reset (SO_LINGER 0) mid-body. */
        RESET_BODY,
        /** A whole request, then a close without reading the answer. */
        NO_READ
    }

    private static final Kind[] MIX = mix();

    private static Kind[] mix() {
        List<Kind> mix = new ArrayList<>();
        add(mix, Kind.KEEP_ALIVE, 5);
        add(mix, Kind.ECHO_CLOSE, 4);
        add(mix, Kind.GARBAGE, 3);
        add(mix, Kind.CUT_HEAD, 1);
        add(mix, Kind.RESET_HEAD, 2);
        add(mix, Kind.RESET_BODY, 2);
        add(mix, Kind.NO_READ, 3);
        return mix.toArray(Kind[]::new);
    }

    private static void add(List<Kind> mix, Kind kind, int times) {
        for (int i = 0; i < times; i++) {
            mix.add(kind);
        }
    }

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void mixedTrafficLeavesTheSameFdsAndNoMoreMemory(Transport transport, boolean tls) throws Exception {
        int connections = connections(transport, tls);
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.start(transport, HttpLimits.defaults(), tls)) {
            int warmUp = tls ? TLS_WARM_UP : WARM_UP;
            run(server, 0, warmUp, tls);
            awaitAllClosed(server, warmUp);
            // Memory first: its first measurement loads JNA, which keeps /dev/urandom open.
            ProcessResources.Memory before = ProcessResources.afterGc();
            Map<String, String> fdsBefore = ProcessResources.openFdTargets();

            Map<String, Long> outcomes = run(server, warmUp, connections, tls);
            awaitAllClosed(server, warmUp + connections);

            Map<String, String> fdsAfter = ProcessResources.openFdTargets();
            for (int i = 0; i < 50 && fdsAfter.size() != fdsBefore.size(); i++) {
                Thread.sleep(100);
                fdsAfter = ProcessResources.openFdTargets();
            }
            // Their numbers may differ: the listing's own fds take the lowest free ones.
            assertThat(fdsAfter).as("open fds after %,d connections (%s), with every one closed (before: %s)",
                    connections, outcomes, fdsBefore).hasSameSizeAs(fdsBefore);
            ProcessResources.Memory after = ProcessResources.afterGc();
            String measured = String.format("after %,d connections (%s): %s; before: %s", connections, outcomes,
                    after, before);
            assertThat(after.directBytes() - before.directBytes()).as("direct memory gained %s", measured)
                    .isLessThanOrEqualTo(DIRECT_SLACK);
            assertThat(after.mallocBytes() - before.mallocBytes()).as("malloc'd memory gained %s", measured)
                    .isLessThanOrEqualTo(MALLOC_SLACK);
            assertThat(after.heapBytes() - before.heapBytes()).as("live heap gained %s", measured)
                    .isLessThanOrEqualTo(connections * HEAP_PER_CONNECTION + HEAP_SLACK);
            assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
        }
    }

    /** How many connections a transport gets: see the class comment. */
    private static int connections(Transport transport, boolean tls) {
        int plain = switch (transport) {
            case EPOLL_ET -> 100_000;
            case EPOLL_LT, NIO -> 25_000;
            case BLOCKING -> 10_000;
        };
        return tls ? plain / TLS_FEWER : plain;
    }

    private static void awaitAllClosed(HttpServer server, long connections) throws InterruptedException {
        LoopStats stats = EchoClients.awaitValue("the server to close all " + connections + " connections",
                server::stats, s -> s.connectionsClosed() >= connections);
        assertThat(stats.connectionsOpened()).as("connections the server opened").isEqualTo(connections);
        assertThat(stats.connectionsClosed()).as("connections the server closed").isEqualTo(connections);
    }

    /**
     * Connections {@code first} to {@code first + count - 1}, spread over the client threads;
     * the first that goes other than expected fails the test. Returns how many went which way.
     */
    private static Map<String, Long> run(HttpServer server, int first, int count, boolean tls) throws Exception {
        InetSocketAddress address = server.localAddress();
        Map<String, LongAdder> done = new ConcurrentHashMap<>();
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            int thread = t;
            clients.add(EchoClients.inBackground("leak-client-" + t, () -> {
                for (int i = first + thread; i < first + count && !failed.get(); i += CLIENT_THREADS) {
                    Kind kind = MIX[i % MIX.length];
                    String outcome;
                    try {
                        outcome = exchange(address, kind, i, tls);
                    } catch (Throwable e) {
                        failed.set(true);
                        throw new AssertionError("connection " + i + " (" + kind + ") failed", e);
                    }
                    done.computeIfAbsent(outcome, o -> new LongAdder()).increment();
                }
            }));
        }
        for (CompletableFuture<Void> client : clients) {
            client.get(150, TimeUnit.SECONDS);
        }
        Map<String, Long> outcomes = new TreeMap<>();
        done.forEach((outcome, n) -> outcomes.put(outcome, n.sum()));
        return outcomes;
    }

    /** Connection {@code i}, which does what {@code kind} says; returns what became of it. */
    private static String exchange(InetSocketAddress address, Kind kind, int i, boolean tls) throws IOException {
        try (RawHttp http = RawHttp.connect(address, tls)) {
            return switch (kind) {
                case KEEP_ALIVE -> {
                    for (int r = 0; r < 3; r++) {
                        assertHello(http.send(GET).read(), false);
                    }
                    assertHello(http.send(GET_CLOSE).read(), true);
                    http.assertClosedByServer();
                    yield "4 answers and a close";
                }
                case ECHO_CLOSE -> {
                    byte[] body = SeededBytes.array(i, 100 + i % 2000);
                    http.send("POST /echo HTTP/1.1\r\nHost: leak\r\nConnection: close\r\nContent-Length: "
                            + body.length + "\r\n\r\n").send(body);
                    RawHttp.Response answer = http.read();
                    assertThat(answer.status()).as("status of %s", answer).isEqualTo(200);
                    assertThat(answer.body()).as("echo of %d bytes", body.length).isEqualTo(body);
                    assertThat(answer.header("Connection")).as("Connection of %s", answer).isEqualTo("close");
                    http.assertClosedByServer();
                    yield "echoed and closed";
                }
                case GARBAGE -> {
                    RawHttp.Response answer = http.send(SeededBytes.array(i, 512)).send("\r\n\r\n").read();
                    assertThat(answer.status()).as("status of %s", answer).isEqualTo(400);
                    assertThat(answer.header("Connection")).as("Connection of %s", answer).isEqualTo("close");
                    http.assertClosedByServer();
                    yield "garbage: 400 and closed";
                }
                case CUT_HEAD -> {
                    http.send("GET / HTTP/1.1\r\nHost: leak\r\nX-Cut: abc").shutdownOutput();
                    String answer = http.readToTheEnd();
                    if (answer.isEmpty()) {
                        yield "cut head: closed";
                    }
                    assertThat(answer).as("the answer to a cut head")
                            .matches("(?s)HTTP/1\\.1 4\\d\\d .*\r\nConnection: close\r\n.*");
                    yield "cut head: " + answer.substring(9, 12) + " and closed";
                }
                case RESET_HEAD -> {
                    http.send("GET / HTTP/1.1\r\nHost: leak\r\nX-Half: ");
                    http.socket().setSoLinger(true, 0);
                    yield "reset mid-head";
                }
                case RESET_BODY -> {
                    http.send("POST /echo HTTP/1.1\r\nHost: leak\r\nContent-Length: 1000\r\n\r\n")
                            .send(SeededBytes.array(i, 100));
                    http.socket().setSoLinger(true, 0);
                    yield "reset mid-body";
                }
                case NO_READ -> {
                    http.send(GET);
                    yield "closed unread";
                }
            };
        }
    }

    private static void assertHello(RawHttp.Response answer, boolean close) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(200);
        assertThat(answer.bodyText()).as("body of %s", answer).isEqualTo("hello\n");
        assertThat(answer.header("Connection")).as("Connection of %s", answer).isEqualTo(close ? "close" : null);
    }
}
