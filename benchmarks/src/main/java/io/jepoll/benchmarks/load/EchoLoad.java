package io.jepoll.benchmarks.load;

import static io.jepoll.benchmarks.load.EchoLoadRun.say;
import static io.jepoll.benchmarks.load.EchoLoadRun.text;

import io.jepoll.benchmarks.load.EchoLoadRun.Result;
import io.jepoll.benchmarks.load.EchoLoadRun.Settings;
import io.jepoll.cli.DurationConverter;
import io.jepoll.cli.TransportConverter;
import io.jepoll.loop.Transport;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of a ping-pong echo load ({@link EchoLoadRun}): after a warm-up it measures
 * for a fixed time and prints one result line, which {@code benchmarks/compare.sh} reads:
 *
 * <pre>
 * echo connections=64 size=64 roundtrips=123456 seconds=5.000 roundtrips_per_second=24691.2 p50_us=..
 *     p99_us=.. p999_us=.. max_us=.. total_roundtrips=.. errors=0
 * </pre>
 *
 * On stderr it marks the measured window with the lines {@code echo-load: measuring} and
 * {@code echo-load: measured}, printed as the window opens and closes, so that a script can
 * sample the server's CPU time at the same moments.
 */
@Command(name = "EchoLoad", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ping-pong echo load on jepoll's own client loop: each connection sends --size bytes,"
                + " waits for exactly those bytes back, sends the next.",
                "Prints one result line; exits 0 when at least one round trip completed and every echoed byte"
                        + " was exact, 1 otherwise."})
public final class EchoLoad implements Callable<Integer> {

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
                    warmup, duration);
        } catch (IllegalArgumentException e) {
            // A usage error: picocli prints it with the usage and exits 2.
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Result result = run(settings, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.println(line(result));
        out.flush();
        return result.ok() ? 0 : 1;
    }

    /**
     * Connects, warms up, measures, and finishes every connection's last round trip.
     *
     * @param log progress and failures, one line each, the {@code measuring}/{@code measured} marks included
     * @throws ConnectException when the connections cannot be made
     */
    public static Result run(Settings settings, PrintWriter log) throws ConnectException, InterruptedException {
        try (EchoLoadRun run = EchoLoadRun.connect(settings, log)) {
            say(log, String.format(Locale.ROOT, "echo-load: %d connections to %s:%d (transport %s, %d-byte messages);"
                    + " warming up %s", settings.connections(), settings.host(), settings.port(),
                    settings.transport().shortName(), settings.size(), text(settings.warmup())));
            TimeUnit.NANOSECONDS.sleep(settings.warmup().toNanos());
            run.startMeasuring();
            say(log, "echo-load: measuring " + text(settings.duration()));
            TimeUnit.NANOSECONDS.sleep(settings.duration().toNanos());
            run.stopMeasuring();
            say(log, "echo-load: measured");
            return run.finish();
        }
    }

    /** The machine-readable result line. */
    static String line(Result result) {
        return String.format(Locale.ROOT, "echo connections=%d size=%d roundtrips=%d seconds=%.3f"
                + " roundtrips_per_second=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f"
                + " total_roundtrips=%d errors=%d", result.connections(), result.size(), result.roundtrips(),
                result.seconds(), result.roundtrips() / result.seconds(), result.p50Micros(), result.p99Micros(),
                result.p999Micros(), result.maxMicros(), result.totalRoundtrips(), result.errors());
    }
}
