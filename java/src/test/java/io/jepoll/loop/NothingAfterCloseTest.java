package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * onClose is a handler's last callback, on every transport, even when a timer aborts the
 * connection while its peer's bytes keep arriving: on the blocking transport the connection's
 * thread may have read bytes just before the abort, and delivering them after onClose handed a
 * handler input without what it had left unconsumed (the HTTP parser then scanned forever).
 */
@Timeout(60)
class NothingAfterCloseTest {

    private static final int CONNECTIONS = 100;
    private static final Duration TRICKLE = Duration.ofSeconds(3);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void noCallbackComesAfterOnCloseWhenATimerAbortsATricklingPeer(Transport transport) throws Exception {
        assumeAvailable(transport);
        Queue<String> late = new ConcurrentLinkedQueue<>();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        try (TcpServer server = TcpServer.builder().transport(transport)
                .handler(() -> new AbortedWhileTrickling(opened, closed, late)).build().start()) {
            List<Socket> peers = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    peers.add(connect(server));
                }
                long end = System.nanoTime() + TRICKLE.toNanos();
                byte[] one = {'x'};
                while (System.nanoTime() < end && closed.get() < CONNECTIONS) {
                    for (Socket peer : peers) {
                        try {
                            OutputStream out = peer.getOutputStream();
                            out.write(one);
                        } catch (IOException closedByServer) {
                            // The abort came: expected.
                        }
                    }
                    Thread.sleep(1);
                }
            } finally {
                for (Socket peer : peers) {
                    peer.close();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closed.get() < opened.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(closed.get()).as("connections closed").isEqualTo(opened.get()).isEqualTo(CONNECTIONS);
            assertThat(late).as("callbacks after onClose").isEmpty();
        }
    }

    /** Keeps every byte unconsumed, and has a timer abort the connection within a few milliseconds. */
    private static final class AbortedWhileTrickling implements Handler {
        private final AtomicInteger opened;
        private final AtomicInteger closed;
        private final Queue<String> late;
        private volatile boolean gone;

        AbortedWhileTrickling(AtomicInteger opened, AtomicInteger closed, Queue<String> late) {
            this.opened = opened;
            this.closed = closed;
            this.late = late;
        }

        @Override
        public void onOpen(Connection connection) {
            opened.incrementAndGet();
            connection.schedule(connection::abort, 5 + opened.get() % 20, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            if (gone) {
                late.add("onData of " + in.remaining() + " bytes");
            }
        }

        @Override
        public void onInputShutdown(Connection connection) {
            if (gone) {
                late.add("onInputShutdown");
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            gone = true;
            closed.incrementAndGet();
        }
    }
}
