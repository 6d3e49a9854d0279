package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.await;
import static io.jepoll.echo.EchoClients.awaitTrue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.inBackground;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connection that always has data to read must not starve another on the same loop: the ET
 * loop reads at most a budget per connection per turn, LT and NIO one read per wake-up.
 */
@Timeout(60)
class FairnessTest {

    private static final int ROUND_TRIPS = 300;
    /** Far more than the round trips take: the stream is stopped by hand, never runs out. */
    private static final long STREAM_LIMIT = 64L << 30;
    private static final int BLOCK = 64 * 1024;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void roundTripsGetThroughWhileAnotherConnectionStreams(Transport transport) throws Exception {
        byte[] block = SeededBytes.array(7, BLOCK);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong streamed = new AtomicLong();
        AtomicLong echoed = new AtomicLong();
        try (TcpServer server = echoServer(transport).loops(1).build().start();
                Socket stream = connect(server);
                Socket interactive = connect(server)) {
            CompletableFuture<Void> writer = inBackground("stream-writer", () -> {
                OutputStream out = stream.getOutputStream();
                while (!stop.get() && streamed.get() < STREAM_LIMIT) {
                    out.write(block);
                    streamed.addAndGet(BLOCK);
                }
                stream.shutdownOutput();
            });
            CompletableFuture<Void> reader = inBackground("stream-reader", () -> drainAndCheck(stream, block, echoed));
            awaitTrue("the stream to flow", () -> echoed.get() >= 4 * BLOCK);

            long echoedBefore = echoed.get();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                byte[] message = SeededBytes.array(10_000 + i, 64);
                assertThat(roundTrip(interactive, message)).as("round trip %d", i).isEqualTo(message);
            }
            assertThat(writer).as("the stream, when the round trips are done").isNotDone();
            assertThat(echoed.get()).as("stream bytes echoed during the round trips").isGreaterThan(echoedBefore);

            stop.set(true);
            await(writer);
            await(reader);
            assertThat(echoed.get()).as("stream bytes echoed").isEqualTo(streamed.get());
        }
    }

    /** Reads the stream's echo to its end, checking each byte against the repeated block. */
    private static void drainAndCheck(Socket socket, byte[] block, AtomicLong echoed) throws Exception {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[BLOCK];
        int n;
        while ((n = in.read(buffer, 0, BLOCK - (int) (echoed.get() % BLOCK))) > 0) {
            int offset = (int) (echoed.get() % BLOCK);
            if (Arrays.mismatch(buffer, 0, n, block, offset, offset + n) >= 0) {
                Assertions.fail("the stream's echo differs from what was sent near byte " + echoed.get());
            }
            echoed.addAndGet(n);
        }
    }
}
