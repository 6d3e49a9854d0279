package io.jepoll.benchmarks.load;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A ping-pong echo load on jepoll's own client side: C connections on one client loop, each
 * sending a {@code size}-byte message, waiting until exactly those bytes have come back, then
 * sending the next. After a warm-up it measures for a fixed time and prints one result line:
 *
 * <pre>
 * echo connections=64 size=64 roundtrips=123456 seconds=5.000 roundtrips_per_second=24691.2 p50_us=..
 *     p99_us=.. p999_us=.. max_us=.. total_roundtrips=.. errors=0
 * </pre>
 *
 * {@code total_roundtrips} counts every completed round trip (warm-up, measured, and the last
 * one each connection had in flight when the measurement ended): what the server served, for
 * per-round-trip server counters. On stderr it marks the measured window with the lines
 * {@code echo-load: measuring} and {@code echo-load: measured}, printed as the window opens and
 * closes, so that a script can sample the server's CPU time at the same moments.
 *
 * <p>Every echoed byte is checked: a message carries a per-connection pattern and, in its
 * first bytes, the round trip's sequence number, so a stale or misrouted echo is caught too. The
 * client allocates nothing per message: each connection reuses one message buffer, and all
 * state lives on the client loop's thread.
 */
@Command(name = "EchoLoad", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ping-pong echo load on jepoll's own client loop: each connection sends --size bytes,"
                + " waits for exactly those bytes back, sends the next.",
                "Prints one result line; exits 0 when at least one round trip completed and every echoed byte"
                        + " was exact, 1 otherwise."})
public final class EchoLoad implements Callable<Integer> {

    /** How long connecting, and each hand-over to the client loop, may take. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    /** How long the connections may take to finish their last round trip once the measurement ends. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Failures described on stderr one by one; the rest are only counted. */
    private static final int ERRORS_DESCRIBED = 5;
    /** The longest round trip the histogram tracks exactly; longer ones are recorded as this. */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--connections", defaultValue = "64", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", defaultValue = "64", description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--duration", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to measure, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to run before measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--transport", paramLabel = "et|lt|nio", converter = TransportConverter.class,
            description = "The client loop's transport (default: et where the native library loads, else nio).")
    Transport transport;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to run; {@link #check()} says whether it makes sense. */
    public record Settings(String host, int port, Transport transport, int connections, int size, Duration warmup,
            Duration duration) {

        /** Throws {@link IllegalArgumentException} naming the first setting that cannot work. */
        public Settings check() {
            if (connections < 1) {
                throw new IllegalArgumentException("--connections must be >= 1: " + connections);
            }
            if (size < 1) {
                throw new IllegalArgumentException("--size must be >= 1: " + size);
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--duration must be > 0: " + duration);
            }
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("--warmup must be >= 0: " + warmup);
            }
            if (transport == Transport.BLOCKING) {
                // Its callbacks run on a thread per connection; this client keeps its state on one loop thread.
                throw new IllegalArgumentException("--transport blocking is not supported: use et, lt or nio");
            }
            return this;
        }
    }

    /**
     * One run's outcome.
     *
     * @param roundtrips round trips completed inside the measured window
     * @param seconds the measured window's length
     * @param totalRoundtrips every round trip completed, warm-up and the last in-flight ones included
     * @param errors echoes that differed from what was sent, connections the server closed or that
     *     did not finish their last round trip in time
     */
    public record Result(int connections, int size, long roundtrips, double seconds, double p50Micros,
            double p99Micros, double p999Micros, double maxMicros, long totalRoundtrips, long errors) {

        public double roundtripsPerSecond() {
            return seconds > 0 ? roundtrips / seconds : 0;
        }

        /** At least one measured round trip and no error. */
        public boolean ok() {
            return errors == 0 && roundtrips > 0;
        }

        public int exitCode() {
            return ok() ? 0 : 1;
        }

        /** The machine-readable result line. */
        public String line() {
            return String.format(Locale.ROOT, "echo connections=%d size=%d roundtrips=%d seconds=%.3f"
                    + " roundtrips_per_second=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f"
                    + " total_roundtrips=%d errors=%d", connections, size, roundtrips, seconds,
                    roundtripsPerSecond(), p50Micros, p99Micros, p999Micros, maxMicros, totalRoundtrips, errors);
        }
    }

    /** The load could not start: a connection could not be made. */
    public static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;

        LoadException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, set up so that a failure is one stderr line and exit code 1, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new EchoLoad()).setExecutionExceptionHandler((error, commandLine, parsed) -> {
            commandLine.getErr().println("echo-load: " + (error.getMessage() != null ? error.getMessage() : error));
            commandLine.getErr().flush();
            return 1;
        });
    }

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            settings = new Settings(host, port, transport != null ? transport : Transport.best(), connections, size,
                    warmup, duration).check();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Result result = run(settings, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.line());
        out.flush();
        return result.exitCode();
    }

    /**
     * Connects, warms up, measures, and finishes every connection's last round trip.
     *
     * @param log progress and failures, one line each (the {@code measuring}/{@code measured} marks included)
     * @throws LoadException when the connections cannot be made
     */
    public static Result run(Settings settings, PrintWriter log) throws LoadException, InterruptedException {
        settings.check();
        InetSocketAddress server = new InetSocketAddress(settings.host(), settings.port());
        EventLoopGroup group = EventLoopGroup.start(settings.transport(), 1, LoopConfig.defaults(), "echo-load");
        EventLoop loop = group.loops().get(0);
        Run run = new Run(settings, log);
        try {
            List<CompletableFuture<Connection>> connects = new ArrayList<>(settings.connections());
            for (int i = 0; i < settings.connections(); i++) {
                connects.add(group.connect(server, SocketOptions.defaults(), new PingPong(run, i)));
            }
            try {
                awaitConnects(connects, server);
            } catch (LoadException e) {
                // The connections that did open are closed with the group: not errors to report.
                onLoop(loop, run::abandon);
                throw e;
            }
            say(log, String.format(Locale.ROOT, "echo-load: %d connections to %s:%d (transport %s, %d-byte messages);"
                    + " warming up %s", settings.connections(), settings.host(), settings.port(),
                    settings.transport().shortName(), settings.size(), text(settings.warmup())));
            sleep(settings.warmup());
            onLoop(loop, run::startMeasuring);
            say(log, "echo-load: measuring " + text(settings.duration()));
            sleep(settings.duration());
            onLoop(loop, run::stopMeasuring);
            say(log, "echo-load: measured");
            onLoop(loop, run::drain);
            if (!waitFor(run.allClosed, DRAIN_TIMEOUT)) {
                onLoop(loop, run::abortUnfinished);
            }
            Result result = onLoop(loop, run::result);
            run.describeRemainingErrors();
            return result;
        } finally {
            group.shutdown(Duration.ofSeconds(1));
            group.awaitTermination(Duration.ofSeconds(5));
        }
    }

    private static void awaitConnects(List<CompletableFuture<Connection>> connects, InetSocketAddress server)
            throws LoadException, InterruptedException {
        String target = server.getHostString() + ":" + server.getPort();
        try {
            CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new))
                    .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LoadException("cannot connect to " + target + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } catch (TimeoutException e) {
            throw new LoadException("cannot connect to " + target + ": no connection within "
                    + text(STEP_TIMEOUT));
        }
    }

    /** Runs {@code step} on the client loop (where all load state lives) and returns its value. */
    private static <T> T onLoop(EventLoop loop, Callable<T> step) throws InterruptedException {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                done.complete(step.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the client loop failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the client loop did not respond within " + text(STEP_TIMEOUT));
        }
    }

    private static boolean waitFor(CompletableFuture<?> future, Duration timeout) throws InterruptedException {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void say(PrintWriter log, String line) {
        log.println(line);
        log.flush();
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private enum Phase { WARMUP, MEASURE, DRAIN, ABANDONED }

    /** The load's shared state; touched only on the client loop's thread, so it needs no locks. */
    private static final class Run {
        final Settings settings;
        final PrintWriter log;
        final Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
        final List<PingPong> handlers = new ArrayList<>();
        final CompletableFuture<Void> allClosed = new CompletableFuture<>();
        Phase phase = Phase.WARMUP;
        long measureStart;
        long measureEnd;
        long measured;
        long total;
        long errors;
        int closed;

        Run(Settings settings, PrintWriter log) {
            this.settings = settings;
            this.log = log;
        }

        void completed(long nanos) {
            total++;
            if (phase == Phase.MEASURE) {
                measured++;
                latencies.recordValue(Math.min(nanos, HIGHEST_NANOS));
            }
        }

        void error(String description) {
            if (phase == Phase.ABANDONED) {
                return;
            }
            errors++;
            if (errors <= ERRORS_DESCRIBED) {
                say(log, "echo-load: " + description);
            }
        }

        void closed() {
            if (++closed == settings.connections()) {
                allClosed.complete(null);
            }
        }

        Void startMeasuring() {
            latencies.reset();
            measured = 0;
            phase = Phase.MEASURE;
            measureStart = System.nanoTime();
            return null;
        }

        Void stopMeasuring() {
            measureEnd = System.nanoTime();
            phase = Phase.DRAIN;
            return null;
        }

        Void abandon() {
            phase = Phase.ABANDONED;
            return null;
        }

        Void drain() {
            for (PingPong handler : handlers) {
                handler.finishIfIdle();
            }
            return null;
        }

        Void abortUnfinished() {
            for (PingPong handler : handlers) {
                handler.abortIfOpen();
            }
            return null;
        }

        Result result() {
            return new Result(settings.connections(), settings.size(), measured, (measureEnd - measureStart) / 1e9,
                    micros(latencies.getValueAtPercentile(50)), micros(latencies.getValueAtPercentile(99)),
                    micros(latencies.getValueAtPercentile(99.9)), micros(latencies.getMaxValue()), total, errors);
        }

        void describeRemainingErrors() {
            if (errors > ERRORS_DESCRIBED) {
                say(log, "echo-load: ... and " + (errors - ERRORS_DESCRIBED) + " more errors");
            }
        }

        private static double micros(long nanos) {
            return nanos / 1000.0;
        }
    }

    /** One connection's ping-pong: send the message, check every echoed byte, send the next. */
    private static final class PingPong implements Handler {
        private final Run run;
        private final int index;
        private final byte[] message;
        private final ByteBuffer out;
        private Connection connection;
        private long sequence;
        private long sentAt;
        private int received;
        private boolean awaiting;
        /** Closed on purpose (finished, or aborted after an error already counted). */
        private boolean finished;

        PingPong(Run run, int index) {
            this.run = run;
            this.index = index;
            this.message = new byte[run.settings.size()];
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) (index * 131 + i * 7 + 1);
            }
            this.out = ByteBuffer.wrap(message);
            run.handlers.add(this);
        }

        @Override
        public void onOpen(Connection connection) {
            this.connection = connection;
            if (run.phase == Phase.WARMUP || run.phase == Phase.MEASURE) {
                send();
            } else {
                finish();
            }
        }

        private void send() {
            // Stamp the sequence number into the first bytes, so a repeated old echo does not pass.
            long stamp = ++sequence;
            for (int i = 0, n = Math.min(8, message.length); i < n; i++) {
                message[i] = (byte) (stamp >>> (8 * i));
            }
            received = 0;
            awaiting = true;
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
            if (!awaiting || n > message.length - received) {
                fail(connection, String.format(Locale.ROOT, "connection %d, round trip %d: %d bytes more than"
                        + " were sent", index, sequence, n - (awaiting ? message.length - received : 0)));
                return;
            }
            int at = in.position();
            for (int i = 0; i < n; i++) {
                byte got = in.get(at + i);
                byte sent = message[received + i];
                if (got != sent) {
                    fail(connection, String.format(Locale.ROOT, "connection %d, round trip %d: byte %d differs:"
                            + " sent 0x%02x, got 0x%02x", index, sequence, received + i, sent & 0xff, got & 0xff));
                    return;
                }
            }
            in.position(at + n);
            received += n;
            if (received < message.length) {
                return;
            }
            awaiting = false;
            run.completed(System.nanoTime() - sentAt);
            if (run.phase == Phase.WARMUP || run.phase == Phase.MEASURE) {
                send();
            } else {
                finish();
            }
        }

        private void fail(Connection connection, String description) {
            run.error(description);
            finished = true;
            connection.abort();
        }

        void finishIfIdle() {
            if (connection != null && !awaiting && !finished) {
                finish();
            }
        }

        void abortIfOpen() {
            if (connection != null && !finished) {
                fail(connection, "connection " + index + ": no echo of round trip " + sequence + " within "
                        + text(DRAIN_TIMEOUT) + " of the end");
            }
        }

        private void finish() {
            finished = true;
            connection.close();
        }

        @Override
        public void onInputShutdown(Connection connection) {
            if (!finished) {
                fail(connection, "connection " + index + ": the server shut its side down after " + (sequence - 1)
                        + " round trips");
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (!finished) {
                finished = true;
                run.error("connection " + index + ": closed after " + (sequence - 1) + " round trips"
                        + (cause != null ? ": " + cause.getMessage() : ""));
            }
            run.closed();
        }
    }

    /** Reads {@code 500ms}, {@code 5s}, {@code 2m}, a bare number of seconds, or ISO-8601 such as {@code PT5S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (text.startsWith("pt")) {
                    return Duration.parse(text);
                }
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                char unit = text.charAt(text.length() - 1);
                if (Character.isDigit(unit)) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
                }
                double amount = Double.parseDouble(text.substring(0, text.length() - 1));
                long millis = switch (unit) {
                    case 's' -> Math.round(amount * 1000);
                    case 'm' -> Math.round(amount * 60_000);
                    default -> throw new NumberFormatException();
                };
                return Duration.ofMillis(millis);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms,"
                        + " 5s, 1m");
            }
        }
    }

    /** Reads {@code et}, {@code lt} or {@code nio}. */
    static final class TransportConverter implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            try {
                return Transport.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
