package io.jepoll.benchmarks.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run each: a fresh server, the load's warm-up, then the measured seconds between two
 * readings of the server's CPU time, and the server stopped with SIGTERM so that a jepoll
 * server prints its totals.
 */
final class LoadRuns {

    static final int ECHO_SIZE = 64;
    /** Past its own duration, how long a load generator may take before it is stopped as failed. */
    private static final Duration LOAD_SLACK = Duration.ofSeconds(60);
    private static final Duration PORT_FREE_BOUND = Duration.ofSeconds(10);

    private final CompareOptions options;
    private final Layout layout;
    private final long ticksPerSecond;
    private final Consumer<String> say;

    /** @param say prints a remark on a run (a server that had to be killed) as it comes */
    LoadRuns(CompareOptions options, Layout layout, long ticksPerSecond, Consumer<String> say) {
        this.options = options;
        this.layout = layout;
        this.ticksPerSecond = ticksPerSecond;
        this.say = say;
    }

    /**
     * HTTP with wrk: {@code plain} or {@code pipeline16} (16 requests per write) GET /, or a static
     * mode (keep-alive GETs of one file, {@link Plan#STATIC_PATHS}).
     */
    RunRow http(Contender contender, String mode, int connections, int round) throws IOException,
            Supervised.StartException, InterruptedException {
        boolean fileMode = Plan.STATIC_PATHS.containsKey(mode);
        String path = fileMode ? Plan.STATIC_PATHS.get(mode) : "/";
        List<String> extra = mode.equals("pipeline16") ? List.of("-s", layout.pipelineScript().toString()) : List.of();
        return wrkRun(contender, fileMode ? "static" : "http", mode, connections, round,
                new WrkLoad("http://127.0.0.1:" + options.port() + path, extra, Map.of()));
    }

    /**
     * HTTPS GET / with wrk, one of {@link Plan#HTTPS_MODES}. For a handshake per request wrk sends
     * {@code Connection: close}, which both servers answer by closing; wrk then connects anew and
     * resumes its last TLS session, unless it runs with the layout's fresh-sessions library preloaded,
     * which makes it forget the session, and so every handshake a full one.
     */
    RunRow https(Contender contender, String mode, int connections, int round) throws IOException,
            Supervised.StartException, InterruptedException {
        List<String> extra = switch (mode) {
            case "pipeline16" -> List.of("-s", layout.pipelineScript().toString());
            case "handshake", "resumed" -> List.of("-H", "Connection: close");
            default -> List.of();
        };
        Map<String, String> environment = mode.equals("handshake")
                ? Map.of("LD_PRELOAD", layout.freshSessions().orElseThrow().toString()) : Map.of();
        return wrkRun(contender, "https", mode, connections, round,
                new WrkLoad("https://127.0.0.1:" + options.port() + "/", extra, environment));
    }

    /** What wrk is run with: its URL, options before the URL, and variables added to its environment. */
    private record WrkLoad(String url, List<String> options, Map<String, String> environment) {
    }

    private RunRow wrkRun(Contender contender, String benchmark, String mode, int connections, int round,
            WrkLoad load) throws IOException, Supervised.StartException, InterruptedException {
        Server server = contender.server();
        Supervised process = startServer(contender, benchmark);
        long warmRequests = 0;
        OptionalLong serverBefore;
        OptionalLong serverAfter;
        long loadBefore;
        long loadAfter;
        WrkOutput measured;
        try {
            if (options.warmup() > 0) {
                warmRequests = wrk(options.warmup(), connections, load).requests();
            }
            // wrk runs to its end and is waited for, so the CPU time of this JVM's waited-for children grows by its own.
            loadBefore = ProcStat.waitedForChildrenTicks();
            serverBefore = ProcStat.treeTicks(process.handle());
            measured = wrk(options.seconds(), connections, load);
            serverAfter = ProcStat.treeTicks(process.handle());
            loadAfter = ProcStat.waitedForChildrenTicks();
        } finally {
            stop(process);
        }
        boolean died = serverBefore.isEmpty() || serverAfter.isEmpty();
        long served = warmRequests + measured.requests();
        Optional<ServerTotals> totals = server.runsJepollJar() ? ServerTotals.parse(process.logText()) : Optional.empty();
        return new RunRow(benchmark, mode, contender.label(), contender.jdkLabel(), contender.bindingLabel(), round,
                connections, measured.requestsPerSecond().orElse(""),
                died ? "" : Figures.cpuMicrosPer(serverBefore, serverAfter, measured.requests(), ticksPerSecond),
                totals.map(t -> Figures.per(t.syscalls(), served, 4)).orElse(""),
                totals.filter(t -> server.countsCrossings()).map(t -> Figures.per(t.crossings(), served, 4)).orElse(""),
                Figures.cpuPercent(OptionalLong.of(loadBefore), OptionalLong.of(loadAfter), options.seconds(),
                        ticksPerSecond),
                measured.latency(), measured.wrkErrors(options.timeout()),
                died ? "server-died" : measured.errorsField(),
                died ? diedDetail(process) : measured.errorDetail());
    }

    /**
     * Echo with the C echo-load or EchoLoad (--echo-client), which warm up and measure in one
     * process (EchoLoad's JIT is then warm) and mark the measured window on stderr: the CPU
     * readings are taken as those marks arrive.
     */
    RunRow echo(Contender contender, int connections, int round) throws IOException, Supervised.StartException,
            InterruptedException {
        Server server = contender.server();
        Supervised process = startServer(contender, "echo");
        Supervised load;
        OptionalLong serverBefore = OptionalLong.empty();
        OptionalLong serverAfter = OptionalLong.empty();
        OptionalLong loadBefore = OptionalLong.empty();
        OptionalLong loadAfter = OptionalLong.empty();
        List<String> loadErrors = new ArrayList<>();
        OptionalInt exit;
        boolean died = false;
        try {
            load = Supervised.start("echo load", new ProcessBuilder(echoLoadCommand(connections))
                    .redirectOutput(layout.scratch().resolve("echo-load.out").toFile()),
                    layout.scratch().resolve("echo-load.out"));
            Duration bound = Duration.ofSeconds(options.warmup() + options.seconds()).plus(LOAD_SLACK);
            // Stopping it ends its stderr, and so the reading below, should it hang.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> load.stop(Duration.ofSeconds(1)),
                    CompletableFuture.delayedExecutor(bound.toMillis(), TimeUnit.MILLISECONDS));
            try (BufferedReader marks = new BufferedReader(new InputStreamReader(load.process().getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = marks.readLine(); line != null; line = marks.readLine()) {
                    if (line.startsWith("echo-load: measuring")) {
                        serverBefore = ProcStat.treeTicks(process.handle());
                        died |= serverBefore.isEmpty();
                        loadBefore = ProcStat.ownTicks(load.handle().pid());
                    } else if (line.startsWith("echo-load: measured")) {
                        serverAfter = ProcStat.treeTicks(process.handle());
                        died |= serverAfter.isEmpty();
                        loadAfter = ProcStat.ownTicks(load.handle().pid());
                    } else {
                        loadErrors.add(line);
                    }
                }
            }
            exit = load.waitFor(Duration.ofSeconds(10));
            watchdog.cancel(false);
            load.stop(Duration.ofSeconds(1));
            died |= !process.process().isAlive();
        } finally {
            stop(process);
        }
        Optional<EchoLoadLine> result = EchoLoadLine.parse(Files.readString(layout.scratch().resolve("echo-load.out")));
        String errors = result.flatMap(line -> line.field("errors")).orElse("");
        String detail = "";
        if (result.isEmpty() || exit.orElse(-1) != 0) {
            errors = errors.isEmpty() || errors.equals("0") ? "load-failed" : errors;
            List<String> said = loadErrors.stream().filter(line -> !line.matches("echo-load: \\d+ connections.*"))
                    .limit(3).toList();
            // A run that failed without a word (no round trip measured) is told by its result line.
            detail = "echo load exit " + (exit.isPresent() ? exit.getAsInt() : "none (stopped)") + ": "
                    + (!said.isEmpty() ? String.join(" ", said) : result.map(line -> "roundtrips="
                    + line.count("roundtrips") + " errors=" + line.count("errors")).orElse("no result line"));
        }
        long roundtrips = result.map(line -> line.count("roundtrips")).orElse(0L);
        long total = result.map(line -> line.count("total_roundtrips")).orElse(0L);
        Optional<ServerTotals> totals = server.runsJepollJar() ? ServerTotals.parse(process.logText()) : Optional.empty();
        return new RunRow("echo", "ping64", contender.label(), contender.jdkLabel(), contender.bindingLabel(), round,
                connections, result.flatMap(line -> line.field("roundtrips_per_second")).orElse(""),
                died ? "" : Figures.cpuMicrosPer(serverBefore, serverAfter, roundtrips, ticksPerSecond),
                totals.map(t -> Figures.per(t.syscalls(), total, 4)).orElse(""),
                totals.filter(t -> server.countsCrossings()).map(t -> Figures.per(t.crossings(), total, 4)).orElse(""),
                // The C client's own figure: it may be gone before /proc is read at its last mark.
                result.flatMap(line -> line.field("cpu_percent"))
                        .orElse(Figures.cpuPercent(loadBefore, loadAfter, options.seconds(), ticksPerSecond)),
                new RunRow.Latency(result.flatMap(line -> line.field("p50_us")).orElse(""),
                        result.flatMap(line -> line.field("p99_us")).orElse("")), RunRow.WrkErrors.NONE,
                died ? "server-died" : errors, died ? diedDetail(process) : detail);
    }

    /** The C client and EchoLoad take the same options; EchoLoad also its client loop's transport. */
    List<String> echoLoadCommand(int connections) {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", ServerLaunch.LOAD_CPU));
        if (options.echoClient().equals("c")) {
            command.add(layout.echoLoad().orElseThrow().toString());
        } else {
            command.addAll(List.of(Layout.java().toString(), ServerLaunch.NATIVE_ACCESS, "-cp",
                    layout.benchJar().toString(), "io.jepoll.benchmarks.load.EchoLoad", "--transport", "et"));
        }
        command.addAll(List.of("--port", Integer.toString(options.port()), "--connections",
                Integer.toString(connections), "--size", Integer.toString(ECHO_SIZE), "--duration",
                options.seconds() + "s", "--warmup", options.warmup() + "s"));
        return command;
    }

    private WrkOutput wrk(int seconds, int connections, WrkLoad load) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", ServerLaunch.LOAD_CPU, "wrk", "-t1",
                "-c" + connections, "-d" + seconds + "s", "--timeout", options.timeout() + "s", "--latency"));
        command.addAll(load.options());
        command.add(load.url());
        Path output = layout.scratch().resolve("wrk.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(load.environment());
        Supervised wrk = Supervised.start("wrk", builder, output);
        wrk.waitFor(Duration.ofSeconds(seconds).plus(LOAD_SLACK));
        wrk.stop(Duration.ofSeconds(1));
        return WrkOutput.parse(Files.readString(output));
    }

    private Supervised startServer(Contender contender, String benchmark) throws IOException, Supervised.StartException,
            InterruptedException {
        long deadline = System.nanoTime() + PORT_FREE_BOUND.toNanos();
        while (!PortCheck.isFree(options.port())) {
            if (System.nanoTime() - deadline > 0) {
                throw new Supervised.StartException("port " + options.port()
                        + " is still in use: something else listens there (pass --port)");
            }
            Thread.sleep(100);
        }
        int maxSeconds = options.warmup() + options.seconds() + (int) LOAD_SLACK.toSeconds();
        return ServerLaunch.start(contender, benchmark, options.port(), maxSeconds, layout);
    }

    private void stop(Supervised process) {
        if (!process.stop(ServerLaunch.STOP_GRACE)) {
            say.accept("  (the server ignored SIGTERM for " + ServerLaunch.STOP_GRACE.toSeconds() + " s: killed)");
        }
    }

    private static String diedDetail(Supervised process) {
        return "the server exited during the run: " + process.logTail(2);
    }
}
