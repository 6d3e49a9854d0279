package io.jepoll.benchmarks.load;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * One ping-pong echo load: connections on one client loop, each sending a message, waiting
 * until exactly those bytes have come back, then sending the next, from {@link #connect} until
 * {@link #finish}; round trips between {@link #startMeasuring} and {@link #stopMeasuring} are
 * the measured ones.
 *
 * <p>Every echoed byte is checked: a message carries a per-connection pattern and, in its first
 * bytes, the round trip's sequence number, so a stale or misrouted echo is caught too. Nothing
 * is allocated per message: each connection reuses one message buffer. The counters live on the
 * client loop's thread, so they need no locks: the caller only moves the phase, and reads the
 * counters once every connection has closed.
 */
public final class EchoLoadRun implements AutoCloseable {

    /** How long connecting, and aborting the connections that did not finish, may take. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    /** How long the connections may take to finish their last round trip once the measurement ends. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Failures described on stderr one by one; the rest are only counted. */
    private static final int ERRORS_DESCRIBED = 5;
    /** The longest round trip the histogram tracks exactly; longer ones are recorded as this. */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** What to run; a setting that cannot work is an {@link IllegalArgumentException} naming its option. */
    public record Settings(String host, int port, Transport transport, int connections, int size, Duration warmup,
            Duration duration) {
        public Settings {
            require(connections >= 1, "--connections must be >= 1: " + connections);
            require(size >= 1, "--size must be >= 1: " + size);
            require(duration.compareTo(Duration.ZERO) > 0, "--duration must be > 0: " + duration);
            require(!warmup.isNegative(), "--warmup must be >= 0: " + warmup);
            // Its callbacks run on a thread per connection; this client keeps its state on one loop thread.
            require(transport != Transport.BLOCKING, "--transport blocking is not supported: use et, lt or nio");
        }

        private static void require(boolean holds, String otherwise) {
            if (!holds) {
                throw new IllegalArgumentException(otherwise);
            }
        }
    }

    /**
     * One run's outcome.
     *
     * @param roundtrips round trips completed inside the measured window
     * @param seconds the measured window's length
     * @param totalRoundtrips every round trip completed, warm-up and the last in-flight ones included:
     *     what the server served, for per-round-trip server counters
     * @param errors echoes that differed from what was sent, connections the server closed or that
     *     did not finish their last round trip in time
     */
    public record Result(int connections, int size, long roundtrips, double seconds, double p50Micros,
            double p99Micros, double p999Micros, double maxMicros, long totalRoundtrips, long errors) {

        /** At least one measured round trip and no error. */
        public boolean ok() {
            return errors == 0 && roundtrips > 0;
        }
    }

    /** CLOSING: the group's shutdown closes what is left, which is no error. */
    private enum Phase { WARMUP, MEASURE, DRAIN, CLOSING }

    private final Settings settings;
    private final PrintWriter log;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final List<PingPong> pingPongs = new ArrayList<>();
    private final Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    /** Set by the caller's thread, read by the loop's. */
    private volatile Phase phase = Phase.WARMUP;
    private long measureStart;
    private long measureEnd;
    private long total;
    private long errors;
    private int closed;

    private EchoLoadRun(Settings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
        this.group = EventLoopGroup.start(settings.transport(), 1, LoopConfig.defaults(), "echo-load");
        this.loop = group.loops().get(0);
    }

    /**
     * Opens the connections on a new client loop; each starts its ping-pong as soon as it is open.
     *
     * @param log failures, one line each
     * @throws ConnectException when a connection cannot be made within {@link #STEP_TIMEOUT}
     */
    public static EchoLoadRun connect(Settings settings, PrintWriter log) throws ConnectException,
            InterruptedException {
        EchoLoadRun run = new EchoLoadRun(settings, log);
        try {
            run.awaitConnections();
            return run;
        } catch (ConnectException | InterruptedException | RuntimeException e) {
            run.close();
            throw e;
        }
    }

    private void awaitConnections() throws ConnectException, InterruptedException {
        InetSocketAddress server = new InetSocketAddress(settings.host(), settings.port());
        CompletableFuture<?>[] connects = new CompletableFuture<?>[settings.connections()];
        for (int i = 0; i < connects.length; i++) {
            PingPong pingPong = new PingPong(i);
            pingPongs.add(pingPong);
            connects[i] = group.connect(server, SocketOptions.defaults(), pingPong);
        }
        String cannot = "cannot connect to " + settings.host() + ":" + settings.port() + ": ";
        try {
            CompletableFuture.allOf(connects).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ConnectException(cannot + (cause.getMessage() != null ? cause.getMessage() : cause));
        } catch (TimeoutException e) {
            throw new ConnectException(cannot + "no connection within " + text(STEP_TIMEOUT));
        }
    }

    /** Opens the measured window: round trips completed from now on are the measured ones. */
    public void startMeasuring() {
        measureStart = System.nanoTime();
        phase = Phase.MEASURE;
    }

    /** Closes the measured window; each connection finishes the round trip it has in flight, then closes. */
    public void stopMeasuring() {
        phase = Phase.DRAIN;
        measureEnd = System.nanoTime();
    }

    /**
     * Waits for every connection to close after its last round trip; one that has not within
     * {@link #DRAIN_TIMEOUT} is aborted as an error.
     */
    public Result finish() throws InterruptedException {
        if (!allClosedWithin(DRAIN_TIMEOUT)) {
            loop.execute(() -> pingPongs.forEach(PingPong::abortIfOpen));
            if (!allClosedWithin(STEP_TIMEOUT)) {
                throw new IllegalStateException("the client loop did not close the connections within "
                        + text(STEP_TIMEOUT));
            }
        }
        // Every connection has closed, so the loop no longer touches the counters (and allClosed publishes them).
        if (errors > ERRORS_DESCRIBED) {
            say(log, "echo-load: ... and " + (errors - ERRORS_DESCRIBED) + " more errors");
        }
        return new Result(settings.connections(), settings.size(), latencies.getTotalCount(),
                (measureEnd - measureStart) / 1e9, micros(latencies.getValueAtPercentile(50)),
                micros(latencies.getValueAtPercentile(99)), micros(latencies.getValueAtPercentile(99.9)),
                micros(latencies.getMaxValue()), total, errors);
    }

    private boolean allClosedWithin(Duration timeout) throws InterruptedException {
        try {
            allClosed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Shuts the client loop down, closing whatever is still open. */
    @Override
    public void close() {
        phase = Phase.CLOSING;
        group.shutdown(Duration.ofSeconds(1));
        try {
            group.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // for the caller to see: close() cannot throw it
        }
    }

    private void error(String description) {
        if (phase == Phase.CLOSING) {
            return;
        }
        errors++;
        if (errors <= ERRORS_DESCRIBED) {
            say(log, "echo-load: " + description);
        }
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** Prints a line at once: a script may be waiting for it. */
    static void say(PrintWriter log, String line) {
        log.println(line);
        log.flush();
    }

    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** One connection's ping-pong: send the message, check every echoed byte, send the next. */
    private final class PingPong implements Handler {
        private final int index;
        private final byte[] message = new byte[settings.size()];
        private final ByteBuffer out = ByteBuffer.wrap(message);
        private Connection connection;
        private long sequence;
        private long sentAt;
        /** Of the message in flight; all of it while none is. */
        private int received = message.length;
        /** Closed on purpose: finished, or aborted after an error already counted. */
        private boolean finished;

        PingPong(int index) {
            this.index = index;
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) (index * 131 + i * 7 + 1);
            }
        }

        @Override
        public void onOpen(Connection connection) {
            this.connection = connection;
            sendOrFinish();
        }

        private void sendOrFinish() {
            if (phase != Phase.WARMUP && phase != Phase.MEASURE) {
                finish();
                return;
            }
            // Stamp the sequence number into the first bytes, so a repeated old echo does not pass.
            long stamp = ++sequence;
            for (int i = 0, n = Math.min(8, message.length); i < n; i++) {
                message[i] = (byte) (stamp >>> (8 * i));
            }
            received = 0;
            sentAt = System.nanoTime();
            out.clear();
            connection.write(out);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            int n = in.remaining();
            if (finished) {
                in.position(in.limit());
                return;
            }
            if (n > message.length - received) {
                fail(String.format(Locale.ROOT, "connection %d, round trip %d: %d bytes more than were sent",
                        index, sequence, n - (message.length - received)));
                return;
            }
            int at = in.position();
            for (int i = 0; i < n; i++) {
                byte got = in.get(at + i);
                byte sent = message[received + i];
                if (got != sent) {
                    fail(String.format(Locale.ROOT, "connection %d, round trip %d: byte %d differs: sent 0x%02x,"
                            + " got 0x%02x", index, sequence, received + i, sent & 0xff, got & 0xff));
                    return;
                }
            }
            in.position(at + n);
            received += n;
            if (received == message.length) {
                total++;
                if (phase == Phase.MEASURE) {
                    latencies.recordValue(Math.min(System.nanoTime() - sentAt, HIGHEST_NANOS));
                }
                sendOrFinish();
            }
        }

        void abortIfOpen() {
            if (connection != null && !finished) {
                fail("connection " + index + ": no echo of round trip " + sequence + " within " + text(DRAIN_TIMEOUT)
                        + " of the end");
            }
        }

        private void finish() {
            finished = true;
            connection.close();
        }

        private void fail(String description) {
            error(description);
            finished = true;
            connection.abort();
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (!finished) {
                finished = true;
                error("connection " + index + ": closed after " + (sequence - 1) + " round trips"
                        + (cause != null ? ": " + cause.getMessage() : ""));
            }
            if (++closed == settings.connections()) {
                allClosed.complete(null);
            }
        }
    }
}
