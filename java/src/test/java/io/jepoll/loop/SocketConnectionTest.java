package io.jepoll.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.net.Connection;
import io.jepoll.net.SendableFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SocketConnection's state machine over a {@link FakeSocket}, on a {@link FakeLoop} whose
 * poller reports nothing: each test delivers readiness itself, one step at a time, on the loop's
 * thread. No real sockets, no sleeps.
 */
@Timeout(10)
class SocketConnectionTest {

    /** The smallest read buffer and output chunk a loop allows: a read of this many bytes is a full one. */
    private static final int CHUNK = 1024;
    private static final int BUDGET = 3;
    private static final int LOW = 1024;
    private static final int HIGH = 4096;
    private static final int MAX_INPUT = 2 * CHUNK;
    private static final LoopConfig CONFIG = new LoopConfig(CHUNK, BUDGET, HIGH, LOW, MAX_INPUT);

    private static final int R = Readiness.READABLE;
    private static final int W = Readiness.WRITABLE;

    enum Trigger {
        EDGE, LEVEL
    }

    private FakeLoop loop;
    private final FakeSocket socket = new FakeSocket();
    private RecordingHandler handler = new RecordingHandler();
    private SocketConnection connection;

    @TempDir
    Path directory;

    @AfterEach
    void socketAndHandlerSawOneCloseAtMostThenStop() throws InterruptedException {
        if (loop == null) {
            return;
        }
        try {
            assertThat(socket.closes()).as("socket closes").isLessThanOrEqualTo(1);
            assertThat(handler.closes()).as("onClose calls").isLessThanOrEqualTo(1);
            assertThat(socket.closes()).as("socket closes, given onClose calls").isGreaterThanOrEqualTo(
                    handler.closes());
            assertThat(socket.callsAfterClose()).as("socket calls after close").isZero();
            if (loop.edgeTriggered) {
                assertThat(socket.interests()).as("interest changes of an edge-triggered registration").isEmpty();
            }
        } finally {
            loop.shutdown(Duration.ZERO);
            assertThat(loop.awaitTermination(Duration.ofSeconds(5))).as("loop terminated").isTrue();
        }
    }

    // --- reads

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void bytesReadAreDeliveredExactlyAndInOrder(Trigger trigger) {
        accept(trigger);
        byte[] big = pattern(2 * CHUNK + 500);
        socket.feed(big).feed("tail");

        // ET reads until a short read (1024, 1024, 500), then "tail" on the next event; LT once per event.
        int events = trigger == Trigger.EDGE ? 2 : 4;
        for (int i = 0; i < events; i++) {
            ready(R);
        }

        assertThat(socket.hasUnreadInput()).as("input left unread").isFalse();
        assertThat(handler.received()).isEqualTo(concat(big, ascii("tail")));
        assertThat(loop.counters.bytesRead).isEqualTo(big.length + 4);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void unconsumedInputIsOfferedAgainBeforeNewBytes(Trigger trigger) {
        handler.consume(1);
        accept(trigger);

        socket.feed("ab");
        ready(R);
        socket.feed("cd");
        ready(R);
        socket.feed("e");
        ready(R);

        assertThat(handler.events()).containsExactly("open", "data:ab", "data:bcd", "data:cde");
        assertThat(new String(handler.received(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void unconsumedInputPastMaxInputBufferClosesWithAnIOException(Trigger trigger) {
        handler.consume(0);
        accept(trigger);

        socket.feed(pattern(CHUNK));
        ready(R);
        socket.feed(pattern(CHUNK));
        ready(R);
        assertThat(connection.isOpen()).as("open holding exactly maxInputBuffer unconsumed").isTrue();

        socket.feed("x");
        ready(R);

        assertThat(connection.isOpen()).isFalse();
        assertThat(handler.cause()).isInstanceOf(IOException.class).hasMessageContaining(
                String.valueOf(MAX_INPUT));
        assertThat(handler.closes()).isEqualTo(1);
        assertThat(socket.closes()).isEqualTo(1);
    }

    @Test
    void edgeTriggeredReadsUpToTheBudgetThenAgainNextTurnWithoutANewEvent() {
        List<Integer> turnOfEachRead = new ArrayList<>();
        handler.onData(c -> turnOfEachRead.add(loop.turn()));
        accept(Trigger.EDGE);
        byte[] data = pattern(10 * CHUNK);
        socket.feed(data);

        int readsInTheEvent = onLoop(() -> {
            connection.ready(R);
            return socket.reads();
        });

        assertThat(readsInTheEvent).isEqualTo(BUDGET);
        // The event's own reads and the ready list's first serving share a turn; then one serving a turn.
        assertThat(readsPerTurn(turnOfEachRead)).containsExactly(2 * BUDGET, BUDGET, 1);
        assertThat(handler.received()).isEqualTo(data);
        assertThat(socket.reads()).as("reads, the last one answering would-block").isEqualTo(10 + 1);
    }

    @Test
    void levelTriggeredReadsOncePerEvent() {
        accept(Trigger.LEVEL);
        byte[] data = pattern(3 * CHUNK);
        socket.feed(data);

        ready(R);
        assertThat(socket.reads()).as("reads after one event").isEqualTo(1);
        assertThat(socket.hasUnreadInput()).as("the kernel reports the rest again").isTrue();

        ready(R);
        ready(R);
        assertThat(socket.reads()).isEqualTo(3);
        assertThat(handler.received()).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void inputLeftUnconsumedWhileSuspendedIsOfferedAgainOnResumeWithoutNewBytes(Trigger trigger) {
        handler.consume(1).onData(Connection::suspendReads);
        accept(trigger);
        socket.feed("ab");
        ready(R);

        onLoop(() -> connection.resumeReads());

        assertThat(handler.events()).containsExactly("open", "data:ab", "data:b");
    }

    // --- writes and back-pressure

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void writeGoesStraightToTheSocketWhenItTakesEverything(Trigger trigger) {
        accept(trigger);

        boolean accepted = onLoop(() -> connection.write(ascii("hello")));

        assertThat(accepted).isTrue();
        assertThat(socket.written()).isEqualTo("hello");
        assertThat(connection.pendingOutputBytes()).isZero();
        assertThat(socket.interests()).as("interest changes").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void whatTheSocketDoesNotTakeIsQueuedAndSentInOrderOnWritable(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(3);

        onLoop(() -> {
            ByteBuffer reused = ascii("hello");
            connection.write(reused);
            // The caller may reuse its buffer at once: the rest was copied.
            reused.clear().put(ascii("XXXXX"));
        });
        assertThat(socket.written()).isEqualTo("hel");
        assertThat(connection.pendingOutputBytes()).isEqualTo(2);

        socket.writeCapacity(Long.MAX_VALUE);
        onLoop(() -> connection.write(ascii(" world")));
        assertThat("hello world").as("a write behind queued output never overtakes it").startsWith(
                socket.written());

        ready(W);
        assertThat(socket.written()).isEqualTo("hello world");
        assertThat(connection.pendingOutputBytes()).isZero();
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.interests()).as("writability asked for only while output is queued")
                    .containsExactly(R | W, R);
        }
    }

    // --- files

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aShortFileSendOwesOneOnWritableAndAsksForWritabilityOnlyMeanwhile(Trigger trigger) throws IOException {
        SendableFile file = ChannelFile.open(Files.writeString(directory.resolve("f"), "0123456789"));
        long[] position = {0};
        handler.onWritable(c -> position[0] += c.sendFile(file, position[0], 10 - position[0]));
        accept(trigger);
        socket.writeCapacity(4);

        assertThat(onLoop(() -> position[0] += connection.sendFile(file, 0, 10))).isEqualTo(4);
        assertThat(socket.written()).isEqualTo("0123");
        assertThat(connection.pendingOutputBytes()).as("nothing of the file queued").isZero();

        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);
        ready(W);
        assertThat(socket.written()).isEqualTo("0123456789");
        assertThat(handler.events()).as("onWritable once, for the one short send").containsExactly("open", "writable");
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.interests()).as("writability asked for only while the send waited")
                    .containsExactly(R | W, R);
        }
        file.close();
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aFileSendBehindQueuedOutputSendsNothingUntilTheQueueDrains(Trigger trigger) throws IOException {
        SendableFile file = ChannelFile.open(Files.writeString(directory.resolve("f"), "0123456789"));
        long[] position = {0};
        handler.onWritable(c -> position[0] += c.sendFile(file, position[0], 10 - position[0]));
        accept(trigger);
        socket.writeCapacity(3);

        long first = onLoop(() -> {
            connection.write(ascii("hello"));
            return connection.sendFile(file, 0, 10);
        });
        assertThat(first).as("sent while output is queued").isZero();
        assertThat(socket.written()).isEqualTo("hel");

        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);
        assertThat(socket.written()).as("the queue first, then the file").isEqualTo("hello0123456789");
        assertThat(handler.events()).containsExactly("open", "writable");
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.interests()).as("one change to ask for writability, one to stop")
                    .containsExactly(R | W, R);
        }
        file.close();
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aClosingConnectionSendsNoFileAndOwesNoOnWritable(Trigger trigger) throws IOException {
        SendableFile file = ChannelFile.open(Files.writeString(directory.resolve("f"), "0123456789"));
        accept(trigger);
        socket.writeCapacity(3);

        long sent = onLoop(() -> {
            connection.write(ascii("hello"));
            connection.close();
            return connection.sendFile(file, 0, 10);
        });
        assertThat(sent).isZero();
        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);
        assertThat(socket.written()).isEqualTo("hello");
        assertThat(handler.events()).containsExactly("open");
        file.close();
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void pastTheHighWaterMarkReadsStopUntilBelowTheLowWaterMark(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(0);
        byte[] data = pattern(HIGH + 1);

        List<Boolean> answers = onLoop(() -> List.of(
                connection.write(ByteBuffer.wrap(data, 0, HIGH)),
                connection.write(ByteBuffer.wrap(data, HIGH, 1))));
        assertThat(answers).as("write answers at the high-water mark, then past it").containsExactly(true, false);
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.interests()).last().as("interest while backed up").isEqualTo(W);
        }

        socket.feed("x");
        ready(R);
        assertThat(socket.reads()).as("reads while backed up").isZero();

        socket.writeCapacity(data.length - LOW - 1);
        ready(W);
        assertThat(handler.events()).as("one byte above the low-water mark").doesNotContain("writable");
        assertThat(socket.reads()).isZero();

        socket.writeCapacity(1);
        ready(W);
        assertThat(connection.pendingOutputBytes()).isEqualTo(LOW);
        if (trigger == Trigger.EDGE) {
            // No edge came while reads were stopped: the ready list reads without waiting for one.
            assertThat(handler.events()).containsExactly("open", "writable", "data:x");
        } else {
            assertThat(handler.events()).containsExactly("open", "writable");
            assertThat(socket.interests()).last().as("interest once resumed").isEqualTo(R | W);
            ready(R);
            assertThat(handler.events()).containsExactly("open", "writable", "data:x");
        }

        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);
        assertThat(socket.writtenBytes()).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void writabilityIsHandledBeforeReadsInOneEvent(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(0);
        onLoop(() -> connection.write(ByteBuffer.wrap(pattern(HIGH + 1))));
        socket.feed("x").writeCapacity(Long.MAX_VALUE);

        List<String> duringTheEvent = onLoop(() -> {
            connection.ready(R | W);
            return List.copyOf(handler.events());
        });

        assertThat(duringTheEvent).containsExactly("open", "writable", "data:x");
    }

    // --- closing

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void gracefulCloseFlushesThenShutsDownOutputAndClosesOnThePeersEnd(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(2);

        boolean writeAfterClose = onLoop(() -> {
            connection.write(ascii("hello"));
            connection.close();
            return connection.write(ascii("more"));
        });
        assertThat(writeAfterClose).isFalse();
        assertThat(socket.written()).isEqualTo("he");
        assertThat(socket.shutdowns()).as("output shut down with output queued").isZero();
        assertThat(socket.closes()).isZero();

        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);
        assertThat(socket.written()).isEqualTo("hello");
        assertThat(socket.shutdowns()).isEqualTo(1);
        assertThat(socket.writtenAtShutdown()).as("bytes written before FIN").isEqualTo(5);
        assertThat(socket.closes()).as("closed before the peer's end (a reset would lose what we sent)").isZero();
        if (trigger == Trigger.LEVEL) {
            // Queued, then closing (reads stop), then draining the peer; the flush may pass through 0 on the way.
            assertThat(socket.interests()).as("interest changes").startsWith(R | W, W).endsWith(R);
        }

        socket.feed("late").feedEnd();
        ready(R | Readiness.PEER_CLOSED);
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.closes()).as("after LT's one read").isZero();
            ready(R | Readiness.PEER_CLOSED);
        }

        assertThat(socket.closes()).isEqualTo(1);
        assertThat(handler.events()).as("lingering input is drained, never delivered")
                .containsExactly("open", "close:null");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void closeAfterThePeerShutDownClosesAtOnce(Trigger trigger) {
        handler.keepOpenOnInputShutdown();
        accept(trigger);
        socket.feedEnd();
        ready(R | Readiness.PEER_CLOSED);
        assertThat(handler.events()).containsExactly("open", "inputShutdown");

        onLoop(() -> {
            connection.write(ascii("bye"));
            connection.close();
        });

        assertThat(socket.written()).isEqualTo("bye");
        assertThat(socket.shutdowns()).as("no FIN and linger when the peer is gone").isZero();
        assertThat(socket.closes()).isEqualTo(1);
        assertThat(handler.events()).containsExactly("open", "inputShutdown", "close:null");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void shutdownOutputSendsFinAfterQueuedOutputAndReadingGoesOn(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(0);
        boolean writeAfterShutdown = onLoop(() -> {
            connection.write(ascii("last"));
            connection.shutdownOutput();
            return connection.write(ascii("more"));
        });
        assertThat(writeAfterShutdown).isFalse();
        assertThat(socket.shutdowns()).as("FIN with output queued").isZero();

        socket.writeCapacity(Long.MAX_VALUE).feed("x");
        ready(W | R);

        assertThat(socket.written()).isEqualTo("last");
        assertThat(socket.writtenAtShutdown()).isEqualTo(4);
        assertThat(handler.events()).containsExactly("open", "data:x");
        assertThat(connection.isOpen()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void abortDropsQueuedOutputAndClosesOnce(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(0);

        onLoop(() -> {
            connection.write(ascii("hello"));
            connection.abort();
            connection.abort();
            connection.close();
        });
        assertThat(connection.pendingOutputBytes()).isZero();

        socket.writeCapacity(Long.MAX_VALUE).feed("x");
        ready(R | W);

        assertThat(socket.written()).isEmpty();
        assertThat(socket.closes()).isEqualTo(1);
        assertThat(handler.events()).containsExactly("open", "close:null");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void peerHalfCloseCallsOnInputShutdownAndTheDefaultClosesAfterFlushing(Trigger trigger) {
        accept(trigger);
        socket.writeCapacity(0);
        onLoop(() -> connection.write(ascii("reply")));

        socket.feedEnd();
        ready(R | Readiness.PEER_CLOSED);
        assertThat(handler.events()).containsExactly("open", "inputShutdown");
        assertThat(socket.closes()).as("closed with output queued").isZero();

        socket.writeCapacity(Long.MAX_VALUE);
        ready(W);

        assertThat(socket.written()).isEqualTo("reply");
        assertThat(socket.closes()).isEqualTo(1);
        assertThat(handler.events()).containsExactly("open", "inputShutdown", "close:null");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void errorWithNothingWantedClosesWithThePendingError(Trigger trigger) {
        accept(trigger);
        IOException reset = new IOException("connection reset");
        onLoop(() -> connection.suspendReads());
        socket.pendingError(reset).feed("x");

        ready(Readiness.ERROR);

        assertThat(socket.reads()).as("reads while suspended").isZero();
        assertThat(handler.cause()).isSameAs(reset);
        assertThat(socket.closes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void errorWhileReadingClosesWithTheReadsError(Trigger trigger) {
        accept(trigger);
        IOException reset = new IOException("connection reset");
        socket.feedError(reset);

        ready(R | Readiness.ERROR);

        assertThat(handler.cause()).isSameAs(reset);
        assertThat(socket.closes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aHandlerExceptionInOnDataClosesWithItAsTheCause(Trigger trigger) {
        RuntimeException boom = new IllegalStateException("boom");
        handler.throwOnData(boom);
        accept(trigger);
        socket.feed(pattern(CHUNK)).feed("more");

        ready(R);

        assertThat(handler.cause()).isSameAs(boom);
        assertThat(handler.events()).as("no read after the failing callback").hasSize(3);
        assertThat(socket.hasUnreadInput()).isTrue();
        assertThat(socket.closes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aHandlerExceptionInOnOpenClosesWithItAsTheCause(Trigger trigger) {
        RuntimeException boom = new IllegalStateException("boom");
        handler.throwOnOpen(boom);

        accept(trigger);

        assertThat(handler.cause()).isSameAs(boom);
        assertThat(handler.events()).containsExactly("open", "close:boom");
        assertThat(socket.closes()).isEqualTo(1);
    }

    // --- outbound connects

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void anOutboundConnectCompletesOnWritable(Trigger trigger) throws Exception {
        socket.connectDone(false);
        CompletableFuture<Connection> connected = connect(trigger);
        assertThat(connection.initialInterest()).isEqualTo(trigger == Trigger.EDGE ? R | W : W);

        socket.feed("hi");
        ready(W);
        ready(R);
        assertThat(connected).as("in progress").isNotDone();
        assertThat(handler.events()).isEmpty();
        assertThat(socket.reads()).as("reads before the connect completed").isZero();

        socket.connectDone(true);
        ready(W);
        assertThat(connected).isCompletedWithValue(connection);
        assertThat(handler.events()).containsExactly("open");
        if (trigger == Trigger.LEVEL) {
            assertThat(socket.interests()).containsExactly(R);
        }

        ready(R);
        assertThat(handler.events()).containsExactly("open", "data:hi");
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void aFailedConnectFailsTheFutureAndNeverCallsTheHandler(Trigger trigger) {
        IOException refused = new IOException("connection refused");
        socket.connectFails(refused);
        CompletableFuture<Connection> connected = connect(trigger);

        ready(W | Readiness.ERROR);

        assertThat(connected).isCompletedExceptionally();
        assertThat(connected.handle((c, e) -> e).join()).isSameAs(refused);
        assertThat(handler.events()).as("handler callbacks").isEmpty();
        assertThat(socket.closes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Trigger.class)
    void anAbortBeforeTheConnectCompletesFailsTheFuture(Trigger trigger) {
        socket.connectDone(false);
        CompletableFuture<Connection> connected = connect(trigger);

        onLoop(() -> connection.abort());
        socket.connectDone(true);
        ready(W);

        assertThat(connected).isCompletedExceptionally();
        assertThat(handler.events()).as("handler callbacks").isEmpty();
        assertThat(socket.closes()).isEqualTo(1);
    }

    // --- helpers

    private void start(Trigger trigger) {
        loop = new FakeLoop(CONFIG, trigger == Trigger.EDGE);
        loop.start();
    }

    /** An accepted connection, opened. */
    private void accept(Trigger trigger) {
        start(trigger);
        onLoop(() -> {
            connection = new SocketConnection(loop, socket, handler, null, null);
            connection.opened(null);
        });
    }

    /** An outbound connection in progress. */
    private CompletableFuture<Connection> connect(Trigger trigger) {
        start(trigger);
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        onLoop(() -> {
            connection = new SocketConnection(loop, socket, handler, connected, FakeSocket.PEER);
        });
        return connected;
    }

    private void ready(int readiness) {
        onLoop(() -> connection.ready(readiness));
    }

    private void onLoop(Runnable step) {
        onLoop(() -> {
            step.run();
            return null;
        });
    }

    /**
     * Runs {@code step} on the loop and returns its answer once the loop is idle again: whatever
     * the step put on the ready list has run, and the loop touches nothing until the next step.
     */
    private <T> T onLoop(Callable<T> step) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        CompletableFuture<Void> idle = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                answer.complete(step.call());
                loop.whenIdle(idle);
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            T value = answer.get(5, TimeUnit.SECONDS);
            idle.get(5, TimeUnit.SECONDS);
            return value;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("a step on the loop did not finish", e);
        }
    }

    /** How many of {@code turns} fall in each turn, in turn order. */
    private static List<Integer> readsPerTurn(List<Integer> turns) {
        Map<Integer, Integer> counts = new TreeMap<>();
        turns.forEach(turn -> counts.merge(turn, 1, Integer::sum));
        return List.copyOf(counts.values());
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] a, ByteBuffer b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b.array());
        return out.toByteArray();
    }
}
