package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Input a handler leaves unconsumed while it suspends reads is offered to it again when reads
 * resume, without new bytes having to arrive first (Connection.resumeReads; on the readiness
 * loops SocketConnection.onReadsResumed). A handler that takes one message at a time and
 * pauses between them must otherwise stall with whole messages sitting in its buffer.
 */
@Timeout(60)
class ResumeReadsTest {

    /** How long a read may wait for the next echoed line before the test fails. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void linesLeftUnconsumedWhileSuspendedAreDeliveredOnResumeWithoutNewBytes(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = TcpServer.builder().transport(transport).handler(OneLinePerCall::new)
                .shutdownGrace(Duration.ofSeconds(2)).build().start();
                Socket socket = connect(server)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(ascii("a\nb\nc\n"));
            socket.getOutputStream().flush();

            assertThat(readLines(socket.getInputStream(), 3))
                    .as("echo of three lines sent in one write, with nothing sent after them")
                    .isEqualTo("a\nb\nc\n");

            // Reads resumed for real: a line sent now is echoed too.
            socket.getOutputStream().write(ascii("d\n"));
            assertThat(readLines(socket.getInputStream(), 1)).as("echo of a line sent afterwards").isEqualTo("d\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void inputLeftUnconsumedIsNeverOfferedAgainOnceTheHandlerClosed(Transport transport) throws Exception {
        assumeAvailable(transport);
        AtomicInteger calls = new AtomicInteger();
        try (TcpServer server = TcpServer.builder().transport(transport)
                .handler(() -> new KeepAllThenCloseLater(calls)).shutdownGrace(Duration.ofSeconds(2)).build().start();
                Socket socket = connect(server)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(ascii("no newline"));

            assertThat(socket.getInputStream().read()).as("end of stream once the server closed").isEqualTo(-1);
            assertThat(calls.get()).as("onData calls for one write whose bytes were never consumed").isEqualTo(1);
        }
    }

    /** Consumes nothing and closes from a timer 50 ms after the first bytes. */
    private static final class KeepAllThenCloseLater implements Handler {
        private final AtomicInteger calls;

        KeepAllThenCloseLater(AtomicInteger calls) {
            this.calls = calls;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            if (calls.incrementAndGet() == 1) {
                connection.schedule(connection::close, 50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Echoes one '\n'-terminated line per call and leaves the rest unconsumed, then suspends
     * reads and resumes them 50 ms later from a timer on the connection's loop.
     */
    private static final class OneLinePerCall implements Handler {

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            int end = -1;
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return;
            }
            ByteBuffer line = in.slice(in.position(), end - in.position());
            in.position(end);
            connection.write(line);
            connection.suspendReads();
            connection.schedule(connection::resumeReads, 50, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads until {@code lines} newlines came; on a timeout fails naming what did come. */
    private static String readLines(InputStream in, int lines) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int seen = 0;
        while (seen < lines) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                fail("got " + printable(received) + " and then nothing for " + READ_TIMEOUT_MILLIS
                        + " ms; expected " + lines + " line(s)");
                return null;
            }
            if (b < 0) {
                fail("the server closed the connection after " + printable(received));
            }
            received.write(b);
            if (b == '\n') {
                seen++;
            }
        }
        return received.toString(StandardCharsets.US_ASCII);
    }

    private static String printable(ByteArrayOutputStream bytes) {
        return "\"" + bytes.toString(StandardCharsets.US_ASCII).replace("\n", "\\n") + "\"";
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
