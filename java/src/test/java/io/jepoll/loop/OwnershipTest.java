package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.EchoClients;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ownership rule of {@link Connection}, on every transport: a handler's callbacks and the
 * tasks given to {@code execute} and {@code schedule} (from other threads, while data flows)
 * never overlap, and every one of them runs.
 */
@Timeout(60)
class OwnershipTest {

    private static final int MESSAGES = 300;
    private static final int TASKS = 1_000;
    private static final int TIMERS = 200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void callbacksAndTasksTakeTurnsAndAllRun(Transport transport) throws Exception {
        assumeAvailable(transport);
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        TurnTaking handler = new TurnTaking(opened);
        try (TcpServer server = TcpServer.builder().transport(transport).handler(() -> handler)
                .shutdownGrace(Duration.ofSeconds(2)).build().start();
                Socket socket = connect(server)) {
            Connection connection = opened.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            CountDownLatch tasksRun = new CountDownLatch(TASKS + TIMERS);
            CompletableFuture<Void> handOver = EchoClients.inBackground("hand-over", () -> {
                for (int i = 0; i < TASKS; i++) {
                    connection.execute(() -> handler.turn(tasksRun::countDown));
                    if (i < TIMERS) {
                        connection.schedule(() -> handler.turn(tasksRun::countDown), i % 5, TimeUnit.MILLISECONDS);
                    }
                }
            });
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < MESSAGES; i++) {
                out.write(i & 0xff);
                assertThat(in.readUnsignedByte()).as("echo of message %d", i).isEqualTo(i & 0xff);
            }
            EchoClients.await(handOver);

            assertThat(tasksRun.await(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("every task and timer ran (%d left)", tasksRun.getCount()).isTrue();
            assertThat(handler.overlaps.get()).as("callbacks or tasks that found another one running").isZero();
            assertThat(handler.turns.get()).as("turns taken").isGreaterThanOrEqualTo(MESSAGES + TASKS + TIMERS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCancelledTimerDoesNotRun(Transport transport) throws Exception {
        assumeAvailable(transport);
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        TurnTaking handler = new TurnTaking(opened);
        try (TcpServer server = TcpServer.builder().transport(transport).handler(() -> handler)
                .shutdownGrace(Duration.ofSeconds(2)).build().start();
                Socket ignored = connect(server)) {
            Connection connection = opened.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            AtomicInteger ran = new AtomicInteger();
            List<io.jepoll.net.Cancellable> timers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                timers.add(connection.schedule(ran::incrementAndGet, 200, TimeUnit.MILLISECONDS));
            }
            timers.forEach(io.jepoll.net.Cancellable::cancel);
            CompletableFuture<Void> later = new CompletableFuture<>();
            connection.schedule(() -> later.complete(null), 400, TimeUnit.MILLISECONDS);
            EchoClients.await(later);

            assertThat(timers).allMatch(io.jepoll.net.Cancellable::isCancelled);
            assertThat(ran.get()).as("cancelled timers that ran").isZero();
        }
    }

    /**
     * Echoes; every callback and task takes a turn that notes whether another was inside. The
     * flag is deliberately plain: the rule is what makes it safe.
     */
    private static final class TurnTaking implements Handler {
        private final CompletableFuture<Connection> opened;
        private final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicInteger turns = new AtomicInteger();
        private boolean inside;

        TurnTaking(CompletableFuture<Connection> opened) {
            this.opened = opened;
        }

        void turn(Runnable body) {
            if (inside) {
                overlaps.incrementAndGet();
            }
            inside = true;
            try {
                turns.incrementAndGet();
                // Long enough for another thread to be caught overlapping, were it allowed to.
                long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(20);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                body.run();
            } finally {
                inside = false;
            }
        }

        @Override
        public void onOpen(Connection connection) {
            turn(() -> opened.complete(connection));
        }

        /**
         * The write comes after the turn: on the blocking transport tasks may run while a write
         * blocks (the one allowance of the rule), and that is not what this test is about.
         */
        @Override
        public void onData(Connection connection, ByteBuffer in) {
            turn(() -> { });
            connection.write(in);
        }
    }
}
