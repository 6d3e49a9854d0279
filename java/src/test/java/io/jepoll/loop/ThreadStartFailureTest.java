package io.jepoll.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.net.SocketOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking transport outlives a thread it cannot start ("unable to create native thread",
 * from a process or container limit): that connection is closed, the failure is logged once,
 * and accepting goes on.
 */
@Timeout(60)
class ThreadStartFailureTest {

    private static final int FAILURES = 3;

    @Test
    void aConnectionWithoutAThreadIsClosedAndAcceptingGoesOn() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(FAILURES);
        BlockingLoop loop = new BlockingLoop("no-threads", LoopConfig.defaults(), (name, body) -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource"
                        + " limits reached");
            }
            ConnectionThreads.start(name, body);
        });
        loop.start();
        try (LoggedWarnings warnings = LoggedWarnings.capture()) {
            InetSocketAddress address = loop.listen(new InetSocketAddress("127.0.0.1", 0), SocketOptions.defaults(),
                    EchoHandler::new).get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < FAILURES; i++) {
                try (Socket refused = new Socket(address.getAddress(), address.getPort())) {
                    refused.setSoTimeout((int) EchoClients.WAIT.toMillis());
                    assertThat(readOrReset(refused.getInputStream())).as("connection %d, without a thread", i)
                            .isEqualTo(-1);
                }
            }

            try (Socket served = new Socket(address.getAddress(), address.getPort())) {
                byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                assertThat(EchoClients.roundTrip(served, hello)).as("the echo once threads start again")
                        .isEqualTo(hello);
            }
            assertThat(warnings.lines()).as("warnings logged").singleElement().asString()
                    .contains("no thread for the accepted connection").contains("unable to create native thread")
                    .contains("logged once");
        } finally {
            loop.shutdown(Duration.ofSeconds(1));
            assertThat(loop.awaitTermination(EchoClients.WAIT)).as("loop terminated").isTrue();
        }
    }

    /** The server closes a connection it could not serve: end of stream, or a reset when it closed first. */
    private static int readOrReset(InputStream in) throws Exception {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
