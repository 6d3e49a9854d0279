package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peers that end their side early, many at once: one that half-closes after its requests is
 * owed every answer before the server closes; one that closes while the server still has its
 * answer queued costs the server nothing but that connection. In both cases no exception
 * reaches a loop and every connection the server opened is closed.
 */
@Timeout(120)
class AbortedPeersTest {

    private static final int PEERS = 200;
    private static final int ECHO_BODY = 64 * 1024;
    /** Far more than the server's small send buffer holds, so most of the answer is queued in the server. */
    private static final int LARGE_BODY = 1024 * 1024;
    /** Left to the kernel, the send buffer grows to megabytes and holds the answer outside jepoll. */
    private static final SocketOptions SMALL_SEND_BUFFER = SocketOptions.builder().sendBufferSize(64 * 1024).build();

    /**
     * Three pipelined requests, then a FIN: the server reads the end of the stream while its
     * answers (one of them 64 KiB) are still queued, and must send all three before closing.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void halfClosedPeersGetEveryAnswerThenAClose(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.start(transport, HttpLimits.defaults())) {
            runConcurrently(peer -> {
                byte[] body = seeded(peer, ECHO_BODY);
                try (RawHttp client = RawHttp.connect(server)) {
                    client.send("GET / HTTP/1.1\r\nHost: half\r\n\r\n"
                            + "POST /echo HTTP/1.1\r\nHost: half\r\nContent-Length: " + ECHO_BODY + "\r\n\r\n");
                    client.send(body);
                    client.send("GET /plaintext HTTP/1.1\r\nHost: half\r\n\r\n");
                    client.shutdownOutput();

                    assertThat(client.read().bodyText()).isEqualTo("hello\n");
                    RawHttp.Response echoed = client.read();
                    assertThat(echoed.status()).isEqualTo(200);
                    assertThat(Arrays.equals(echoed.body(), body)).as("echoed body of peer %d", peer).isTrue();
                    assertThat(client.read().bodyText()).isEqualTo("Hello, World!");
                    client.assertClosedByServer();
                }
            });

            assertEverythingClosedQuietly(server, warnings, PEERS);
        }
    }

    /**
     * Each peer asks for a 1 MiB echo, reads only the start of the answer and closes: the rest
     * of the answer is queued in the server, which then writes to a closed peer. A client
     * served meanwhile on its own connection sees nothing of it.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void peersThatCloseWithOutputQueuedCostOnlyThemselves(Transport transport) throws Exception {
        byte[] body = seeded(-1, LARGE_BODY);
        byte[] head = RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: gone\r\nContent-Length: " + LARGE_BODY + "\r\n\r\n");
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport).options(SMALL_SEND_BUFFER).build().start();
                RawHttp bystander = RawHttp.connect(server)) {
            CompletableFuture<Void> aborting = CompletableFuture.runAsync(() -> runConcurrently(peer -> {
                try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
                    socket.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
                    socket.getOutputStream().write(head);
                    socket.getOutputStream().write(body);
                    InputStream in = socket.getInputStream();
                    assertThat(in.readNBytes(12)).asString().isEqualTo("HTTP/1.1 200");
                }
            }));
            int answered = 0;
            while (!aborting.isDone() || answered == 0) {
                RawHttp.Response answer = bystander.send("GET / HTTP/1.1\r\nHost: bystander\r\n\r\n").read();
                assertThat(answer.bodyText()).isEqualTo("hello\n");
                answered++;
            }
            aborting.get();

            assertEverythingClosedQuietly(server, warnings, PEERS + 1);
        }
    }

    /** The bystander, where there is one, is still open: everything else must be closed. */
    private static void assertEverythingClosedQuietly(HttpServer server, LoggedWarnings warnings, int opened)
            throws InterruptedException {
        RawHttp.awaitTrue("the server to close every peer's connection",
                () -> server.stats().connectionsOpened() - server.stats().connectionsClosed() == opened - PEERS);
        assertThat(server.stats().connectionsOpened()).isEqualTo(opened);
        assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
    }

    private interface Peer {
        void run(int peer) throws IOException;
    }

    /** Runs {@link #PEERS} peers, 16 at a time, and rethrows the first failure. */
    private static void runConcurrently(Peer peer) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                int id = i;
                runs.add(CompletableFuture.runAsync(() -> {
                    try {
                        peer.run(id);
                    } catch (IOException e) {
                        throw new IllegalStateException("peer " + id + " failed", e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] seeded(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
