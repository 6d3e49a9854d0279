package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.awaitNoProgress;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.inBackground;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.EchoClients;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A shutdown's grace bounds the loop's every wait: a connection that cannot flush (its peer
 * never reads) is aborted when the grace ends, even while a timer is set far beyond it. The
 * loop used to sleep until that timer, so a 1 s grace with a 60 s timer pending meant a
 * shutdown of 60 s (EventLoop.nextTimeoutMillis).
 */
@Timeout(60)
class ShutdownWithTimersTest {

    private static final int TOTAL = 8 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /**
     * Socket buffers, pinned so that 8 MiB cannot all disappear into the kernel on either side
     * (left alone, a send buffer grows to net.ipv4.tcp_wmem's maximum, 4 MiB here).
     */
    private static final int CLIENT_RECEIVE_BUFFER = 16 * 1024;
    private static final int SOCKET_BUFFER = 64 * 1024;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPendingTimerDoesNotKeepALoopAlivePastTheShutdownGrace(Transport transport) throws Exception {
        TcpServer server = echoServer(transport)
                .options(SocketOptions.builder().sendBufferSize(SOCKET_BUFFER).receiveBufferSize(SOCKET_BUFFER).build())
                .build().start();
        try (Socket socket = connect(server.localAddress(), CLIENT_RECEIVE_BUFFER)) {
            socket.setSendBufferSize(SOCKET_BUFFER);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = inBackground("never-reading-writer", () -> {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[CHUNK];
                try {
                    while (written.get() < TOTAL) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException closedByServer) {
                    // Expected once the server gives up on this connection.
                }
            });
            awaitNoProgress("the writer, held back by a server that cannot flush its echo",
                    () -> written.get() + server.stats().bytesWritten(), Duration.ofMillis(300));
            LoopStats held = server.stats();
            assertThat(writer).as("the client's writing of %d bytes (wrote %d; server %s)", TOTAL, written.get(), held)
                    .isNotDone();
            assertThat(held.bytesRead()).as("bytes the server read, against the bytes it echoed (%s)", held)
                    .isGreaterThan(held.bytesWritten());
            assertThat(server.stats().connectionsClosed()).as("connections closed before the shutdown").isZero();

            EventLoop loop = server.loops().loops().get(0);
            loop.schedule(() -> { }, 60, TimeUnit.SECONDS);
            // The timer is in place before the shutdown starts: the loop ran a task queued after it.
            CompletableFuture<Void> scheduled = new CompletableFuture<>();
            loop.execute(() -> scheduled.complete(null));
            EchoClients.await(scheduled);

            server.loops().shutdown(Duration.ofSeconds(1));
            assertThat(server.loops().awaitTermination(Duration.ofSeconds(10)))
                    .as("loops terminated after a 1 s grace, with a connection that cannot flush and a timer"
                            + " 60 s ahead; server %s", server.stats())
                    .isTrue();
            assertThat(loop.terminationFuture()).isDone();

            // The peer that never read was cut off: its blocked write ends.
            EchoClients.await(writer);
            assertThat(written.get()).as("bytes written before the server gave up").isLessThan(TOTAL);
        } finally {
            server.close();
        }
    }
}
