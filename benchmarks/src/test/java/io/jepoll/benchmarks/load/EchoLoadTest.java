package io.jepoll.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.benchmarks.load.EchoLoadRun.Result;
import io.jepoll.benchmarks.load.EchoLoadRun.Settings;
import io.jepoll.echo.EchoHandler;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** EchoLoad against in-process jepoll echo servers on loopback, with sub-second runs. */
class EchoLoadTest {

    private static final Duration WARMUP = Duration.ofMillis(200);
    private static final Duration DURATION = Duration.ofMillis(500);

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL_ET", "NIO"})
    @Timeout(30)
    void anExactEchoGivesRoundTripsAndNoErrors(Transport transport) throws Exception {
        assumeAvailable(transport);
        StringWriter log = new StringWriter();
        try (TcpServer server = start(transport, EchoHandler::new)) {
            Result result = EchoLoad.run(settings(server, transport, 8, 64), new PrintWriter(log, true));

            assertThat(result.errors()).as("errors; log:%n%s", log).isZero();
            assertThat(result.roundtrips()).isPositive();
            assertThat(result.totalRoundtrips()).isGreaterThan(result.roundtrips());
            assertThat(result.seconds()).isBetween(0.45, 5.0);
            assertThat(result.p50Micros()).isPositive().isLessThanOrEqualTo(result.p99Micros());
            assertThat(result.ok()).isTrue();
            assertThat(EchoLoad.line(result)).matches("echo connections=8 size=64 roundtrips=\\d+ seconds=\\d+\\.\\d{3}"
                    + " roundtrips_per_second=[\\d.]+ p50_us=[\\d.]+ p99_us=[\\d.]+ p999_us=[\\d.]+ max_us=[\\d.]+"
                    + " total_roundtrips=\\d+ errors=0");
            assertThat(log.toString()).contains("echo-load: measuring", "echo-load: measured");
        }
    }

    @Test
    @Timeout(30)
    void messagesBiggerThanOneReadAreCheckedAcrossReads() throws Exception {
        StringWriter log = new StringWriter();
        try (TcpServer server = start(Transport.NIO, EchoHandler::new)) {
            Result result = EchoLoad.run(settings(server, Transport.NIO, 2, 200_000), new PrintWriter(log, true));

            assertThat(result.errors()).as("errors; log:%n%s", log).isZero();
            assertThat(result.roundtrips()).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL_ET", "NIO"})
    @Timeout(30)
    void oneCorruptedByteIsAnErrorAndAFailedRun(Transport transport) throws Exception {
        assumeAvailable(transport);
        AtomicBoolean corrupted = new AtomicBoolean();
        StringWriter log = new StringWriter();
        try (TcpServer server = start(transport, () -> new CorruptingEcho(corrupted))) {
            Result result = EchoLoad.run(settings(server, transport, 4, 64), new PrintWriter(log, true));

            assertThat(corrupted).isTrue();
            assertThat(result.errors()).isPositive();
            assertThat(result.ok()).isFalse();
            assertThat(EchoLoad.line(result)).endsWith("errors=" + result.errors());
            assertThat(log.toString()).contains("differs");
        }
    }

    @Test
    @Timeout(30)
    void aServerThatClosesIsAnError() throws Exception {
        StringWriter log = new StringWriter();
        // Echoes the first message, then closes: the connection's end is an error, not a finished run.
        try (TcpServer server = start(Transport.NIO, () -> new Handler() {
            @Override
            public void onData(Connection connection, ByteBuffer in) {
                connection.write(in);
                connection.close();
            }
        })) {
            Result result = EchoLoad.run(settings(server, Transport.NIO, 2, 16), new PrintWriter(log, true));

            assertThat(result.errors()).isEqualTo(2);
            assertThat(result.ok()).isFalse();
            assertThat(log.toString()).contains("after 1 round trips");
        }
    }

    @Test
    @Timeout(30)
    void theCommandLinePrintsOneResultLineAndExitsZero() throws Exception {
        try (TcpServer server = start(Transport.NIO, EchoHandler::new)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine command = EchoLoad.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

            int exit = command.execute("--port", String.valueOf(server.port()), "--connections", "4", "--size", "32",
                    "--duration", "300ms", "--warmup", "0s", "--transport", "nio");

            assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
            assertThat(out.toString().lines()).singleElement().asString()
                    .startsWith("echo connections=4 size=32 roundtrips=").endsWith(" errors=0");
        }
    }

    @Test
    @Timeout(30)
    void aRefusedConnectIsOneStderrLineAndExitOne() throws Exception {
        int port = closedPort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = EchoLoad.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exit = command.execute("--port", String.valueOf(port), "--duration", "200ms", "--transport", "nio");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("echo-load: cannot connect to 127.0.0.1:" + port + ": ");
    }

    @Test
    @Timeout(30)
    void settingsThatCannotWorkAreRejected() {
        Duration second = Duration.ofSeconds(1);

        assertThatThrownBy(() -> new Settings("127.0.0.1", 1, Transport.BLOCKING, 1, 1, Duration.ZERO, second))
                .hasMessageContaining("blocking");
        assertThatThrownBy(() -> new Settings("127.0.0.1", 1, Transport.NIO, 1, 0, Duration.ZERO, second))
                .hasMessageContaining("--size");
        assertThatThrownBy(() -> new Settings("127.0.0.1", 1, Transport.NIO, 1, 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("--duration");
    }

    @Test
    @Timeout(30)
    void aBadOptionIsAUsageErrorWithExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine command = EchoLoad.commandLine().setErr(new PrintWriter(err));

        assertThat(command.execute("--port", "1", "--connections", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("--connections must be >= 1: 0");
        // Durations are io.jepoll.cli.DurationConverter's: whole numbers with a unit, as compare.sh passes them.
        assertThat(command.execute("--port", "1", "--duration", "1.5s")).isEqualTo(2);
        assertThat(command.execute("--port", "1", "--warmup=-1s")).isEqualTo(2);
    }

    private static Settings settings(TcpServer server, Transport transport, int connections, int size) {
        return new Settings("127.0.0.1", server.port(), transport, connections, size, WARMUP, DURATION);
    }

    private static TcpServer start(Transport transport, Supplier<? extends Handler> handlers) throws IOException {
        return TcpServer.builder().port(0).transport(transport).handler(handlers)
                .shutdownGrace(Duration.ofSeconds(1)).build().start();
    }

    private static void assumeAvailable(Transport transport) {
        assumeTrue(transport.isAvailable(),
                () -> transport + " is not available: " + transport.unavailabilityReason().orElse("?"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Echoes, but flips one byte once across all its connections. */
    private static final class CorruptingEcho implements Handler {
        private final AtomicBoolean corrupted;

        CorruptingEcho(AtomicBoolean corrupted) {
            this.corrupted = corrupted;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            if (in.remaining() > 10 && corrupted.compareAndSet(false, true)) {
                int at = in.position() + 10;
                in.put(at, (byte) ~in.get(at));
            }
            connection.write(in);
        }
    }
}
