package io.jepoll.benchmarks.compare;

import io.jepoll.benchmarks.charts.Charts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side load run behind {@code benchmarks/compare.sh}, run from the repository root:
 * every server in alternation (A B C A B C ...) for each mode and round, one CSV row per run,
 * then the medians. Exit status 0 when the runs were made (with or without errors in them),
 * 1 when they could not be, 2 for a usage error or a missing tool.
 */
public final class Compare {

    static final String NAME = "compare.sh";
    /** The wrapper passes the command line as typed, for the results' header. */
    static final String COMMAND_PROPERTY = "jepoll.compare.command";
    /** compare.sh builds it from benchmarks/native/wrk_fresh_sessions.c. */
    static final Path FRESH_SESSIONS_BUILT = Path.of("benchmarks/target/native/wrk-fresh-sessions.so");
    /** compare.sh builds them with CMake from benchmarks/native. */
    static final Path NATIVE_BUILT = Path.of("benchmarks/target/native");

    private final CompareOptions options;
    private final String commandLine;
    private final PrintStream out;

    private Compare(CompareOptions options, String commandLine, PrintStream out) {
        this.options = options;
        this.commandLine = commandLine;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path scratch = null;
        try {
            CompareOptions options = CompareOptions.parse(args);
            if (Tools.find("taskset").isEmpty()) {
                throw new UsageException("taskset is not installed");
            }
            if ((options.runs("http") || options.runs("static")) && Tools.find("wrk").isEmpty()) {
                throw new UsageException("wrk is not installed: apt-get install -y wrk, or rerun with --install");
            }
            if (options.runs("https") && Tools.find("openssl").isEmpty()) {
                throw new UsageException("openssl is not installed (it makes the https benchmark's certificate):"
                        + " apt-get install -y openssl, or rerun with --install");
            }
            if (options.runs("https") && !Files.isRegularFile(FRESH_SESSIONS_BUILT)) {
                throw new UsageException(FRESH_SESSIONS_BUILT + " is missing (the https benchmark's full handshakes"
                        + " need it): compare.sh builds it with gcc; see benchmarks/target/wrk-fresh-sessions.log");
            }
            if (options.runs("echo") && options.echoClient().equals("c")
                    && !Files.isExecutable(NATIVE_BUILT.resolve("echo-load"))) {
                throw new UsageException(NATIVE_BUILT.resolve("echo-load") + " is missing (compare.sh builds it with"
                        + " cmake; see benchmarks/target/floor-build.log), or pass --echo-client java");
            }
            if (!PortCheck.isFree(options.port())) {
                throw new UsageException("port " + options.port() + " is in use; pass --port with a free one");
            }
            scratch = Files.createTempDirectory("jepoll-compare.");
            String commandLine = System.getProperty(COMMAND_PROPERTY, NAME + " " + String.join(" ", args));
            return new Compare(options, commandLine, out).compare(layout(options, scratch));
        } catch (UsageException e) {
            err.println(NAME + ": " + e.getMessage());
            return 2;
        } catch (IOException | Supervised.StartException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            err.println(NAME + ": interrupted");
            return 130;
        } finally {
            Scratch.delete(scratch);
        }
    }

    /** Copies of what runs: a rebuild in the checkout during the runs cannot change what is measured. */
    private static Layout layout(CompareOptions options, Path scratch) throws IOException, UsageException,
            InterruptedException {
        Path jepollJar = copy(Path.of("cli/target/jepoll.jar"), scratch.resolve("jepoll.jar"));
        Path benchJar = copy(Path.of("benchmarks/target/benchmarks.jar"), scratch.resolve("benchmarks.jar"));
        Optional<Path> baseline = options.baselineJar().isPresent()
                ? Optional.of(copy(options.baselineJar().get(), scratch.resolve("baseline.jar"))) : Optional.empty();
        Optional<Path> floor = copyNative("http-floor", scratch);
        Optional<Path> echoFloor = copyNative("echo-floor", scratch);
        Optional<Path> echoLoad = copyNative("echo-load", scratch);
        Optional<TlsFiles> tls = options.runs("https")
                ? Optional.of(TlsFiles.make(Tools.find("openssl").orElseThrow(), scratch.resolve("tls")))
                : Optional.empty();
        Optional<Path> freshSessions = options.runs("https")
                ? Optional.of(copy(FRESH_SESSIONS_BUILT, scratch.resolve("wrk-fresh-sessions.so"))) : Optional.empty();
        return new Layout(jepollJar, baseline, benchJar, Path.of("benchmarks/scripts/pipeline.lua"),
                Path.of("benchmarks/nginx/nginx.conf.template"), Tools.find("nginx", Path.of("/usr/sbin/nginx")),
                floor, echoFloor, echoLoad, StaticFiles.write(scratch.resolve("files")), tls, freshSessions, scratch);
    }

    /** A copy of a program compare.sh built; empty when its build failed. */
    private static Optional<Path> copyNative(String name, Path scratch) throws IOException, UsageException {
        Path built = NATIVE_BUILT.resolve(name);
        return Files.isExecutable(built) ? Optional.of(copy(built, scratch.resolve(name))) : Optional.empty();
    }

    private static Path copy(Path from, Path to) throws IOException, UsageException {
        if (!Files.isRegularFile(from)) {
            throw new UsageException(from + " is missing: build it with mvn -B -q package -DskipTests");
        }
        return Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private int compare(Layout layout) throws IOException, Supervised.StartException, InterruptedException {
        long started = System.nanoTime();
        Plan plan = Plan.of(options, unavailable(layout));
        if (plan.nothingToRun()) {
            throw new Supervised.StartException("no server can run");
        }
        Files.createDirectories(options.out());
        ResultFiles files = ResultFiles.choose(options.out(), LocalDate.now(ZoneOffset.UTC),
                options.benchmarks().equals(List.of("https")) ? "tls" : "compare");
        List<String> header = MachineHeader.lines(commandLine, options, layout, plan);
        header.forEach(out::println);
        int estimate = plan.estimatedSeconds();
        out.println("# " + plan.runs() + " runs; expected duration about " + estimate / 60 + " min " + estimate % 60
                + " s");
        out.println("# results: " + files.csv());

        List<RunRow> rows = new ArrayList<>();
        LoadRuns runs = new LoadRuns(options, layout, ProcStat.ticksPerSecond(), out::println);
        try (BufferedWriter csv = Files.newBufferedWriter(files.csv())) {
            csv.write(RunRow.HEADER + "\n");
            csv.flush();
            // Interleaved within each mode and connection count, so that a slow patch hits every server alike.
            for (String mode : plan.httpServers().isEmpty() ? List.<String>of() : Plan.HTTP_MODES) {
                for (int connections : options.connections()) {
                    for (int round = 1; round <= options.rounds(); round++) {
                        for (Contender contender : plan.httpServers()) {
                            record(runs.http(contender, mode, connections, round), rows, csv);
                        }
                    }
                }
            }
            for (int connections : plan.echoServers().isEmpty() ? List.<Integer>of() : options.connections()) {
                for (int round = 1; round <= options.rounds(); round++) {
                    for (Contender contender : plan.echoServers()) {
                        record(runs.echo(contender, connections, round), rows, csv);
                    }
                }
            }
            for (String mode : plan.staticServers().isEmpty() ? List.<String>of() : Plan.STATIC_MODES) {
                for (int connections : options.connections()) {
                    for (int round = 1; round <= options.rounds(); round++) {
                        for (Contender contender : plan.staticServers()) {
                            record(runs.http(contender, mode, connections, round), rows, csv);
                        }
                    }
                }
            }
            for (String mode : plan.httpsServers().isEmpty() ? List.<String>of() : Plan.HTTPS_MODES) {
                for (int connections : options.connections()) {
                    for (int round = 1; round <= options.rounds(); round++) {
                        for (Contender contender : plan.httpsServers()) {
                            record(runs.https(contender, mode, connections, round), rows, csv);
                        }
                    }
                }
            }
        }

        long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
        String summary = Summary.text(Charts.summary(files.csv()), rows, elapsed);
        Files.writeString(files.txt(), String.join("\n", header) + "\n" + summary);
        out.println();
        out.print(summary);
        out.println("wrote " + files.csv() + " and " + files.txt());
        return 0;
    }

    private void record(RunRow row, List<RunRow> rows, BufferedWriter csv) throws IOException {
        rows.add(row);
        csv.write(row.csvLine() + "\n");
        csv.flush(); // what has been measured survives an interrupted run
        out.println(row.consoleLine());
    }

    /** Why a server cannot run, by "benchmark server". */
    private Map<String, String> unavailable(Layout layout) {
        Map<String, String> unavailable = new HashMap<>();
        Map<Path, String> infos = new HashMap<>();
        for (Server server : options.servers()) {
            List<String> benchmarks = server == Server.NGINX ? List.of("http", "static", "https")
                    : server == Server.FLOOR ? List.of("http")
                    : server == Server.ECHO_FLOOR ? List.of("echo") : CompareOptions.BENCHMARKS;
            Optional<String> reason = Optional.empty();
            if (server.countsCrossings()) {
                String info = infos.computeIfAbsent(layout.jarOf(server), jar -> Commands.output(
                        List.of(Layout.java().toString(), "-jar", jar.toString(), "info")).orElse(""));
                reason = Tools.unavailableTransport(info, server.transport());
            } else if (server == Server.NGINX && layout.nginx().isEmpty()) {
                reason = Optional.of("nginx is not installed (rerun with --install, or apt-get install -y nginx-light)");
            } else if (server == Server.FLOOR && layout.floor().isEmpty()
                    || server == Server.ECHO_FLOOR && layout.echoFloor().isEmpty()) {
                reason = Optional.of("it is not built: its build failed (see benchmarks/target/floor-build.log)");
            }
            reason.ifPresent(why -> benchmarks.forEach(benchmark -> unavailable.put(benchmark + " " + server.label(),
                    why)));
        }
        return unavailable;
    }
}
