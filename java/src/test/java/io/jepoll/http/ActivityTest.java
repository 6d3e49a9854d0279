package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.Activity;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An HTTP connection tells what it is doing, on every transport: awaiting its first request,
 * busy from a request's whole head to its answer, idle between requests (a head that has only
 * begun to arrive is not yet a request: a slowloris stays evictable).
 */
@Timeout(60)
class ActivityTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionIsBusyFromAWholeHeadToItsAnswerAndIdleBetween(Transport transport) throws Exception {
        RawHttp.assumeAvailable(transport);
        BlockingQueue<Activity> seen = new LinkedBlockingQueue<>();
        Supplier<Handler> http = HttpServer.builder().builtInRoutes().connectionHandlers();
        try (TcpServer server = TcpServer.builder().transport(transport).handler(() -> new Noting(http.get(), seen))
                .shutdownGrace(Duration.ofSeconds(2)).build().start();
                RawHttp client = RawHttp.connect(server.localAddress())) {
            assertThat(next(seen)).as("after onOpen").isEqualTo(Activity.AWAITING_REQUEST);

            client.send("POST /echo HT");
            assertThat(next(seen)).as("with half a request line read").isEqualTo(Activity.AWAITING_REQUEST);

            client.send("TP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhe");
            assertThat(next(seen)).as("with the head and part of the body read").isEqualTo(Activity.BUSY);

            client.send("llo");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(next(seen)).as("once answered").isEqualTo(Activity.IDLE);

            client.send("GET / HTTP/1.1\r\nHo");
            assertThat(next(seen)).as("with part of the next head read").isEqualTo(Activity.IDLE);
        }
    }

    private static Activity next(BlockingQueue<Activity> seen) throws InterruptedException {
        Activity activity = seen.poll(RawHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(activity).as("an activity noted within %s", RawHttp.TIMEOUT).isNotNull();
        return activity;
    }

    /** Serves HTTP, and notes the connection's activity after each callback that can change it. */
    private static final class Noting implements Handler {
        private final Handler http;
        private final BlockingQueue<Activity> seen;

        Noting(Handler http, BlockingQueue<Activity> seen) {
            this.http = http;
            this.seen = seen;
        }

        @Override
        public void onOpen(Connection connection) {
            http.onOpen(connection);
            seen.add(connection.activity());
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            http.onData(connection, in);
            seen.add(connection.activity());
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
