package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.readExactly;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a loop promises to code that hands it work: where, in what order, and when it stops. */
@Timeout(60)
class EventLoopTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void executeRunsTheTaskOnTheLoopThread(Transport transport) throws Exception {
        try (OneLoop one = OneLoop.start(transport)) {
            CompletableFuture<Boolean> inLoop = new CompletableFuture<>();

            one.loop.execute(() -> inLoop.complete(one.loop.inEventLoop()));

            assertThat(get(inLoop)).isTrue();
            assertThat(one.loop.inEventLoop()).as("inEventLoop on the test thread").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tasksRunInSubmissionOrder(Transport transport) throws Exception {
        try (OneLoop one = OneLoop.start(transport)) {
            List<Integer> ran = new ArrayList<>();
            CompletableFuture<List<Integer>> done = new CompletableFuture<>();

            for (int i = 0; i < 1000; i++) {
                int task = i;
                one.loop.execute(() -> ran.add(task));
            }
            one.loop.execute(() -> done.complete(List.copyOf(ran)));

            assertThat(get(done)).containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aScheduledTaskWaitsForItsDelay(Transport transport) throws Exception {
        try (OneLoop one = OneLoop.start(transport)) {
            List<String> ran = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> bothRan = new CompletableFuture<>();

            one.loop.schedule(() -> {
                ran.add("scheduled first, 400 ms");
                bothRan.complete(null);
            }, 400, TimeUnit.MILLISECONDS);
            one.loop.schedule(() -> ran.add("scheduled second, 1 ms"), 1, TimeUnit.MILLISECONDS);

            get(bothRan);
            assertThat(ran).containsExactly("scheduled second, 1 ms", "scheduled first, 400 ms");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCancelledTaskNeverRuns(Transport transport) throws Exception {
        try (OneLoop one = OneLoop.start(transport)) {
            AtomicBoolean cancelledRan = new AtomicBoolean();
            CompletableFuture<Void> laterRan = new CompletableFuture<>();

            ScheduledTask cancelled = one.loop.schedule(() -> cancelledRan.set(true), 50, TimeUnit.MILLISECONDS);
            cancelled.cancel();
            one.loop.schedule(() -> laterRan.complete(null), 150, TimeUnit.MILLISECONDS);

            get(laterRan);
            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(cancelledRan).as("the cancelled task ran").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTaskThatThrowsDoesNotStopTheLoop(Transport transport) throws Exception {
        // The loop logs each failed task with its stack trace; these failures are on purpose.
        Logger loopLog = Logger.getLogger(EventLoop.class.getName());
        Level level = loopLog.getLevel();
        loopLog.setLevel(Level.OFF);
        try (OneLoop one = OneLoop.start(transport)) {
            CompletableFuture<Void> laterTaskRan = new CompletableFuture<>();
            CompletableFuture<Void> laterTimerRan = new CompletableFuture<>();

            one.loop.execute(() -> {
                throw new IllegalStateException("a failing task (expected by the test)");
            });
            one.loop.schedule(() -> {
                throw new IllegalStateException("a failing timer (expected by the test)");
            }, 1, TimeUnit.MILLISECONDS);
            one.loop.execute(() -> laterTaskRan.complete(null));
            one.loop.schedule(() -> laterTimerRan.complete(null), 20, TimeUnit.MILLISECONDS);

            get(laterTaskRan);
            get(laterTimerRan);
        } finally {
            loopLog.setLevel(level);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void executeAfterTheLoopTerminatedIsRejected(Transport transport) throws Exception {
        OneLoop one = OneLoop.start(transport);
        one.close();

        assertThatThrownBy(() -> one.loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> one.loop.schedule(() -> { }, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class);
    }

    /**
     * A task handed over while the loop terminates either runs or is rejected: one that was
     * accepted and then never ran would leave its submitter waiting for ever (e.g. on a listen).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTaskSubmittedWhileTheLoopTerminatesRunsOrIsRejected(Transport transport) throws Exception {
        assumeAvailable(transport);
        for (int i = 0; i < 200; i++) {
            EventLoopGroup group = EventLoopGroup.start(transport, 1, LoopConfig.defaults(), "terminating");
            EventLoop loop = group.loops().get(0);
            AtomicLong ran = new AtomicLong();
            CompletableFuture<Long> accepted = CompletableFuture.supplyAsync(() -> {
                long count = 0;
                try {
                    while (true) {
                        loop.execute(ran::incrementAndGet);
                        count++;
                    }
                } catch (RejectedExecutionException terminated) {
                    return count;
                }
            });
            group.shutdown(Duration.ZERO);
            assertThat(group.awaitTermination(EchoClients.WAIT)).isTrue();
            long acceptedCount = accepted.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ran.get()).as("tasks run of %d accepted, round %d", acceptedCount, i).isEqualTo(acceptedCount);
        }
    }

    /** Two signals of one event: whoever sees one may rely on the other. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theTerminationFutureIsCompleteOnceAwaitTerminationSaysSo(Transport transport) throws Exception {
        assumeAvailable(transport);
        int notYetComplete = 0;
        for (int i = 0; i < 200; i++) {
            EventLoopGroup group = EventLoopGroup.start(transport, 1, LoopConfig.defaults(), "short-lived");
            EventLoop loop = group.loops().get(0);
            group.shutdown(Duration.ZERO);
            assertThat(group.awaitTermination(EchoClients.WAIT)).isTrue();
            if (!loop.terminationFuture().isDone()) {
                notYetComplete++;
            }
        }
        assertThat(notYetComplete).as("times terminationFuture() was not done after awaitTermination returned true")
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownOfAnIdleServerEndsEveryLoop(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).loops(2).build().start()) {
            server.loops().shutdown(Duration.ofSeconds(5));

            assertThat(server.loops().awaitTermination(EchoClients.WAIT)).as("loops terminated").isTrue();
        }
    }

    /**
     * Once the loops have terminated the port is closed: a client is refused, not accepted by a
     * server that no longer serves or closes anything. A race, so tried many times.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void noConnectionIsAcceptedOnceTheLoopsHaveTerminated(Transport transport) throws Exception {
        List<String> notRefused = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try (TcpServer server = echoServer(transport).build().start()) {
                server.loops().shutdown(Duration.ofSeconds(5));
                assertThat(server.loops().awaitTermination(EchoClients.WAIT)).as("loops terminated").isTrue();
                try {
                    connect(server).close();
                    notRefused.add("accepted");
                } catch (ConnectException refused) {
                    // as it should be
                } catch (SocketException e) {
                    notRefused.add(e.getMessage());
                }
            }
        }
        assertThat(notRefused).as("connects after the loops terminated that were not refused, in 200 tries").isEmpty();
    }

    /**
     * Readiness loops confine a connection to their thread and say so; a BLOCKING connection is
     * thread-safe, so the same calls just work.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionUsedFromAnotherThread(Transport transport) throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        try (TcpServer server = echoServer(transport).handler(() -> new EchoHandingOverConnection(opened))
                .build().start();
                Socket socket = connect(server)) {
            Connection connection = get(opened);
            byte[] pushed = "pushed from another thread".getBytes(StandardCharsets.US_ASCII);

            if (transport == Transport.BLOCKING) {
                connection.write(ByteBuffer.wrap(pushed));
                assertThat(readExactly(socket.getInputStream(), pushed.length)).isEqualTo(pushed);
                connection.close();
                assertEndOfStream(socket);
            } else {
                assertThatThrownBy(() -> connection.write(ByteBuffer.wrap(pushed)))
                        .isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(connection::close).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(connection::suspendReads).isInstanceOf(IllegalStateException.class);

                byte[] echoed = "still echoing".getBytes(StandardCharsets.US_ASCII);
                assertThat(roundTrip(socket, echoed)).isEqualTo(echoed);
                connection.execute(() -> connection.write(ByteBuffer.wrap(pushed)));
                assertThat(readExactly(socket.getInputStream(), pushed.length)).isEqualTo(pushed);
            }
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** One loop of a transport, shut down (and checked to end) on close. */
    private static final class OneLoop implements AutoCloseable {
        final EventLoopGroup group;
        final EventLoop loop;

        private OneLoop(EventLoopGroup group) {
            this.group = group;
            this.loop = group.loops().get(0);
        }

        static OneLoop start(Transport transport) {
            assumeAvailable(transport);
            return new OneLoop(EventLoopGroup.start(transport, 1, LoopConfig.defaults(), "test"));
        }

        @Override
        public void close() {
            group.shutdown(Duration.ZERO);
            try {
                assertThat(group.awaitTermination(EchoClients.WAIT)).as("loop terminated").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the loop shut down", e);
            }
        }
    }

    /** Echoes, and hands its connection to the test when it opens. */
    private static final class EchoHandingOverConnection implements Handler {
        private final Handler echo = new EchoHandler();
        private final CompletableFuture<Connection> opened;

        EchoHandingOverConnection(CompletableFuture<Connection> opened) {
            this.opened = opened;
        }

        @Override
        public void onOpen(Connection connection) {
            opened.complete(connection);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
        }
    }
}
