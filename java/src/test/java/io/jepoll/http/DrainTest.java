package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.TestTls;
import io.jepoll.loop.Transport;
import java.net.ConnectException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A draining server fails no request, on every transport: the request under way is answered,
 * with {@code Connection: close}; a connection idle between requests is closed once quiet; the
 * health check answers 503 while new connections are still taken during the notice; after it the
 * port refuses; and what is still open at the deadline is aborted.
 */
@Timeout(60)
class DrainTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Answers when the test completes it, so that a request is under way at the drain. */
    private final CompletableFuture<HttpResponse> slowAnswer = new CompletableFuture<>();
    private final CompletableFuture<Void> slowReached = new CompletableFuture<>();

    private HttpServer start(Transport transport) throws Exception {
        return start(transport, false);
    }

    private HttpServer start(Transport transport, boolean tls) throws Exception {
        HttpServer.Builder builder = RawHttp.builder(transport).routeAsync("GET", "/slow", request -> {
            slowReached.complete(null);
            return slowAnswer;
        });
        return (tls ? builder.tls(TestTls.server()) : builder).build().start();
    }

    /** Over TLS too: the TLS layer passes the drain on to HTTP, which closes with a close_notify. */
    @ParameterizedTest
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void theRequestUnderWayIsAnsweredWithCloseAndAnIdleConnectionIsClosed(Transport transport, boolean tls)
            throws Exception {
        try (HttpServer server = start(transport, tls)) {
            CompletableFuture<Boolean> drained;
            try (RawHttp idle = RawHttp.connect(server, tls); RawHttp busy = RawHttp.connect(server, tls)) {
                idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response first = idle.read();
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.header("Connection")).as("kept alive before the drain").isNull();
                busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                awaitBusy();

                drained = drainInBackground(server, Duration.ZERO);
                awaitDraining(server);
                slowAnswer.complete(HttpResponse.text("late\n"));

                RawHttp.Response late = busy.read();
                assertThat(late.status()).isEqualTo(200);
                assertThat(late.text()).isEqualTo("late\n");
                assertThat(late.header("Connection")).as("the answer under way says the connection closes")
                        .isEqualTo("close");
                busy.assertClosedByServer();
                idle.assertClosedByServer();
            }
            // The clients closed: the server's lingering closes end now rather than at their timeout.
            assertThat(drained.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("every connection closed by itself").isTrue();
            assertRefused(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHealthCheckFailsDuringTheNoticeWhileNewConnectionsAreStillServed(Transport transport) throws Exception {
        HttpServer server = start(transport);
        try {
            try (RawHttp before = RawHttp.connect(server)) {
                before.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response healthy = before.read();
                assertThat(healthy.status()).isEqualTo(200);
                assertThat(healthy.text()).isEqualTo("ok\n");
            }
            CompletableFuture<Boolean> drained = drainInBackground(server, Duration.ofSeconds(1));
            awaitDraining(server);
            try (RawHttp during = RawHttp.connect(server)) {
                during.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response draining = during.read();
                assertThat(draining.status()).isEqualTo(503);
                assertThat(draining.text()).isEqualTo("draining\n");
                assertThat(draining.header("Connection")).isEqualTo("close");
                during.assertClosedByServer();
            }
            try (RawHttp during = RawHttp.connect(server)) {
                during.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response served = during.read();
                assertThat(served.text()).as("a request on a connection taken during the notice").isEqualTo("hello\n");
                assertThat(served.header("Connection")).isEqualTo("close");
            }
            assertThat(drained.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertRefused(server);
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void whatIsStillOpenAtTheDeadlineIsAborted(Transport transport) throws Exception {
        HttpServer server = start(transport);
        try (RawHttp stuck = RawHttp.connect(server)) {
            stuck.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitBusy();
            long start = System.nanoTime();
            assertThat(server.drain(Duration.ZERO, Duration.ofMillis(500))).as("a connection outlived the drain").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(stuck.readToTheEnd()).as("no answer, the connection cut").isEmpty();
        } finally {
            server.close();
        }
    }

    /** On a Unix domain socket: the request under way is answered with a close, and the socket file goes. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerOnAUnixSocketDrainsTooAndRemovesItsFile(Transport transport, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("drain.sock");
        try (HttpServer server = RawHttp.builder(transport).unixSocket(file).routeAsync("GET", "/slow", request -> {
            slowReached.complete(null);
            return slowAnswer;
        }).build().start(); SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
            client.write(ByteBuffer.wrap(RawHttp.bytes("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")));
            awaitBusy();
            CompletableFuture<Boolean> drained = drainInBackground(server, Duration.ZERO);
            awaitDraining(server);
            slowAnswer.complete(HttpResponse.text("late\n"));
            String answer = RawHttp.readToTheEnd(Channels.newInputStream(client));
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n").endsWith("late\n");
            client.close();
            assertThat(drained.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(file).as("the socket file after the drain").doesNotExist();
        }
    }

    private static CompletableFuture<Boolean> drainInBackground(HttpServer server, Duration notice) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.drain(notice, DEADLINE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitDraining(HttpServer server) throws InterruptedException {
        awaitTrue("the drain to begin", () -> server.tcp().isDraining());
    }

    private void awaitBusy() throws Exception {
        slowReached.get(10, TimeUnit.SECONDS);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void assertRefused(HttpServer server) {
        assertThatThrownBy(() -> new Socket(server.localAddress().getAddress(), server.port()).close())
                .as("the port after the drain").isInstanceOf(ConnectException.class);
    }
}
