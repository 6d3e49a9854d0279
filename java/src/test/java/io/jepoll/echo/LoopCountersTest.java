package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.awaitValue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Call;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import io.jepoll.shim.Bindings;
import java.net.Socket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The counters the benchmarks report per operation count what the loop really did. */
@Timeout(30)
class LoopCountersTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countsEveryEchoedMessageAsAReadAndAWriteAndCrossingsOfItsBindingOnlyForEpoll(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        int messages = 50;
        try (TcpServer server = echoServer(transport).build().start(); Socket socket = connect(server)) {
            for (int i = 0; i < messages; i++) {
                assertThat(roundTrip(socket, SeededBytes.array(i, 64))).isEqualTo(SeededBytes.array(i, 64));
            }
            // Counters are plain fields the loop writes; another thread sees them shortly after.
            LoopStats stats = awaitValue("the last echo counted", server::stats,
                    s -> s.bytesWritten() == 64L * messages);
            assertThat(stats.bytesRead()).isEqualTo(64L * messages);
            assertThat(stats.calls(Call.READ)).isGreaterThanOrEqualTo(messages);
            assertThat(stats.calls(Call.WRITE)).isGreaterThanOrEqualTo(messages);
            if (transport == Transport.EPOLL_ET || transport == Transport.EPOLL_LT) {
                // One crossing per system call, except that a batch accept makes several.
                assertThat(stats.crossings()).isBetween(stats.syscalls() - stats.calls(Call.ACCEPT),
                        stats.syscalls());
                assertThat(stats.binding()).isEqualTo(Bindings.expected());
            } else {
                assertThat(stats.crossings()).isZero();
                assertThat(stats.binding()).isEqualTo(LoopStats.JDK_BINDING);
            }
        }
    }
}
