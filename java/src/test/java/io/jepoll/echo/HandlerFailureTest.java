package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertClosedByPeer;
import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A handler that throws costs its own connection only; the loop and other connections go on. */
@Timeout(60)
class HandlerFailureTest {

    private static final byte POISON = '!';

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aThrowingHandlerClosesOnlyItsConnectionAndHearsWhy(Transport transport) throws Exception {
        CompletableFuture<FailureReport> failure = new CompletableFuture<>();
        CompletableFuture<Throwable> hooked = new CompletableFuture<>();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                TcpServer server = echoServer(transport).handler(() -> new PoisonableEcho(failure))
                        .onError((connection, error) -> hooked.complete(error)).build().start();
                Socket healthy = connect(server);
                Socket poisoned = connect(server)) {
            byte[] before = ascii("before the failure");
            assertThat(roundTrip(healthy, before)).isEqualTo(before);

            poisoned.getOutputStream().write(new byte[] {POISON, 'b', 'o', 'o', 'm'});
            assertClosedByPeer(poisoned);

            FailureReport report = failure.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(report.closeCause()).as("onClose's cause").isSameAs(report.thrown());
            assertThat(hooked.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS)).as("what the error hook heard")
                    .isSameAs(report.thrown());
            assertThat(warnings.lines()).as("warnings logged").singleElement().asString()
                    .contains("a handler's onData failed on the connection /127.0.0.1:" + server.port())
                    .contains("<- /127.0.0.1:" + poisoned.getLocalPort())
                    .endsWith("<- " + report.thrown());

            byte[] after = ascii("after the failure");
            assertThat(roundTrip(healthy, after)).isEqualTo(after);
            healthy.shutdownOutput();
            assertEndOfStream(healthy);
        }
    }

    /** The factory is user code too: one that throws costs that connection only, and accepting goes on. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerFactoryThatThrowsCostsOnlyThatConnection(Transport transport) throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                TcpServer server = echoServer(transport).handler(() -> {
                    if (made.getAndIncrement() == 0) {
                        throw new IllegalStateException("no handler for the first connection");
                    }
                    return new EchoHandler();
                }).build().start();
                Socket refused = connect(server)) {
            assertClosedByPeer(refused);

            for (int i = 0; i < 3; i++) {
                try (Socket served = connect(server)) {
                    byte[] message = ascii("served " + i);
                    assertThat(roundTrip(served, message)).isEqualTo(message);
                }
            }
            assertThat(warnings.lines()).as("warnings logged").singleElement().asString()
                    .contains("could not set up an accepted connection")
                    .contains("no handler for the first connection");
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** What the failing handler threw, and the cause its onClose was given. */
    private record FailureReport(RuntimeException thrown, Throwable closeCause) {
    }

    /** Echoes, but throws on input that starts with {@link #POISON}. */
    private static final class PoisonableEcho implements Handler {
        private final Handler echo = new EchoHandler();
        private final CompletableFuture<FailureReport> failure;
        private RuntimeException thrown;

        PoisonableEcho(CompletableFuture<FailureReport> failure) {
            this.failure = failure;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            if (in.get(in.position()) == POISON) {
                thrown = new IllegalStateException("poisoned by the peer");
                throw thrown;
            }
            echo.onData(connection, in);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (thrown != null) {
                failure.complete(new FailureReport(thrown, cause));
            }
        }
    }
}
