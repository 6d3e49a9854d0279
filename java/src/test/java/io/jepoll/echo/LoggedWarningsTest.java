package io.jepoll.echo;

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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The flood tests assert that {@link LoggedWarnings} stays empty; this proves it would not: an
 * exception that escapes into a loop (here from onClose, which has nobody else to tell) is seen.
 */
@Timeout(30)
class LoggedWarningsTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anExceptionThatReachesALoopIsCaptured(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                TcpServer server = echoServer(transport).handler(ThrowsOnClose::new).build().start()) {
            try (Socket socket = connect(server)) {
                byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                assertThat(roundTrip(socket, hello)).isEqualTo(hello);
            }
            EchoClients.awaitTrue("the loop to log onClose's exception", () -> !warnings.lines().isEmpty());
            assertThat(warnings.lines()).singleElement().asString()
                    .contains("a handler's onClose failed").contains("thrown by onClose");
        }
    }

    private static final class ThrowsOnClose implements Handler {
        private final Handler echo = new EchoHandler();

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            throw new IllegalStateException("thrown by onClose");
        }
    }
}
