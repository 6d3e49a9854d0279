package io.jepoll.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.HttpResponse;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SlowReaderEcho against in-process jepoll HTTP servers on loopback. */
class SlowReaderEchoTest {

    @Test
    @Timeout(30)
    void theWholeBodyComesBackExactAtTheReadingRate() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).transport(Transport.NIO)
                .builtInRoutes().build().start()) {
            SlowReaderEcho.Result result = SlowReaderEcho.run(new InetSocketAddress("127.0.0.1", server.port()),
                    8 << 20, 16 << 20, Duration.ofSeconds(20));

            assertThat(result.ok()).isTrue();
            assertThat(result.received()).isEqualTo(8 << 20);
            assertThat(result.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(450).toNanos());
            assertThat(result.maxAheadBytes()).isPositive();
            assertThat(result.line(8, 16)).matches("slow-echo mib=8 rate_mib_s=16\\.0 sent=8388608 received=8388608"
                    + " seconds=[\\d.]+ max_ahead_mib=[\\d.]+ ok=true");
        }
    }

    @Test
    @Timeout(30)
    void anAnswerThatIsNotTheBodyIsNotOk() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).transport(Transport.NIO)
                .route("POST", "/echo", request -> HttpResponse.text("not an echo\n")).build().start()) {
            SlowReaderEcho.Result result = SlowReaderEcho.run(new InetSocketAddress("127.0.0.1", server.port()),
                    1 << 16, 16 << 20, Duration.ofSeconds(10));

            assertThat(result.ok()).isFalse();
        }
    }
}
