package io.jepoll.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.HttpResponse;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DelayLoad against in-process jepoll HTTP servers on loopback. */
class DelayLoadTest {

    @Test
    @Timeout(30)
    void everyConnectionGetsItsLateAnswerAndTheWallTimeIsTheDelayNotTheSum() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).transport(Transport.NIO)
                .builtInRoutes().build().start()) {
            Path ownStat = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "stat");

            DelayLoad.Result result = DelayLoad.run(new InetSocketAddress("127.0.0.1", server.port()), 50, 200,
                    Duration.ofSeconds(10), ownStat);

            assertThat(result.answered()).isEqualTo(50);
            assertThat(result.firstNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
            // Fifty answers one after another would take ten seconds.
            assertThat(result.lastNanos()).isBetween(result.firstNanos(), Duration.ofSeconds(5).toNanos());
            assertThat(result.serverCpuTicks()).isPresent();
            assertThat(result.line()).matches("delay connections=50 ms=200 answered=50 failed=0 connect_ms=[\\d.]+"
                    + " wall_ms=[\\d.]+ first_ms=[\\d.]+ server_cpu_connect_ms=\\d+ server_cpu_ms=\\d+"
                    + " server_cpu_quiet_ms=\\d+");
        }
    }

    @Test
    @Timeout(30)
    void anAnswerThatIsNotA200OrNeverComesIsAFailure() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).transport(Transport.NIO)
                .route("GET", "/delay", request -> HttpResponse.status(503))
                .build().start()) {
            DelayLoad.Result refused = DelayLoad.run(new InetSocketAddress("127.0.0.1", server.port()), 3, 10,
                    Duration.ofSeconds(5), null);

            assertThat(refused.answered()).isZero();
            assertThat(refused.line()).contains("answered=0 failed=3", "server_cpu_ms= ");
        }
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).transport(Transport.NIO)
                .routeAsync("GET", "/delay", request -> new CompletableFuture<>()).build().start()) {
            DelayLoad.Result unanswered = DelayLoad.run(new InetSocketAddress("127.0.0.1", server.port()), 3, 10,
                    Duration.ofMillis(500), null);

            assertThat(unanswered.answered()).isZero();
        }
    }
}
