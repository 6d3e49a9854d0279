package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hundreds of connections trickle a header byte at a time (a slowloris): the header timeout,
 * which counts from a request's first byte, closes every one of them, and clients arriving
 * meanwhile are answered long before that timeout would have let them through.
 */
@Timeout(90)
class SlowlorisTest {

    private static final int SLOW_CONNECTIONS = 200;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);
    private static final HttpLimits LIMITS = HttpLimits.defaults().withHeaderTimeout(HEADER_TIMEOUT);

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void trickledHeadsAreClosedAndOtherClientsAreServedMeanwhile(Transport transport, boolean tls) throws Exception {
        ExecutorService trickler = Executors.newSingleThreadExecutor();
        List<RawHttp> slow = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.start(transport, LIMITS, tls)) {
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                slow.add(RawHttp.connect(server, tls).send("GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: "));
            }
            // A byte on every slow connection every 200 ms until the server has closed them all.
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                byte[] one = {'s'};
                while (!stop.get()) {
                    for (RawHttp connection : slow) {
                        try {
                            connection.send(one);
                        } catch (Exception closedByServer) {
                            // Expected once the header timeout has fired.
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, trickler);

            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                try (RawHttp client = RawHttp.connect(server, tls)) {
                    RawHttp.Response answer = client.send("GET / HTTP/1.1\r\nHost: fast\r\n\r\n").read();
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.bodyText()).isEqualTo("hello\n");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("a client among %d slow ones is not kept waiting for the header timeout",
                                SLOW_CONNECTIONS)
                        .isLessThan(HEADER_TIMEOUT.dividedBy(2));
            }

            for (RawHttp connection : slow) {
                assertThat(connection.closedByServer()).as("a trickling connection is closed").isTrue();
            }
            stop.set(true);
            trickling.get(RawHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
        } finally {
            stop.set(true);
            trickler.shutdownNow();
            for (RawHttp connection : slow) {
                connection.close();
            }
        }
    }
}
