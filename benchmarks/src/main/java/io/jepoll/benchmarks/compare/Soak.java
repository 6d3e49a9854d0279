package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak behind {@code benchmarks/soak.sh}: jepoll's HTTP and echo servers under steady load
 * (wrk, EchoLoad) with abuse (scripts/Abuse.java) for a chosen time, then what they served, the
 * errors, and each server's fds and memory at the start and the end. Its processes are
 * supervised as a load run's are: none outlives it. Exit status 0 when it ran, 1 when a server
 * did not start, 2 for a usage error or a missing tool.
 */
public final class Soak {

    static final String NAME = "soak.sh";
    /** Lets the servers close what the abuse left behind; the longest is a slowloris head. */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration SLACK = Duration.ofSeconds(120);
    private static final int CONNECTIONS = 32;

    private final SoakOptions options;
    private final Path scratch;
    private final PrintStream out;

    private Soak(SoakOptions options, Path scratch, PrintStream out) {
        this.options = options;
        this.scratch = scratch;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path scratch = null;
        try {
            SoakOptions options = SoakOptions.parse(args);
            if (Tools.find("wrk").isEmpty()) {
                throw new UsageException("wrk is not installed (apt-get install -y wrk)");
            }
            scratch = Files.createTempDirectory("jepoll-soak.");
            new Soak(options, scratch, out).soak();
            return 0;
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

    private void soak() throws IOException, Supervised.StartException, InterruptedException {
        int seconds = options.seconds();
        int echoPort = options.port() + 1;
        Supervised http = startServer("http", options.port());
        Supervised echo;
        try {
            echo = startServer("echo", echoPort);
        } catch (IOException | Supervised.StartException e) {
            http.stop(ServerLaunch.STOP_GRACE);
            throw e;
        }
        List<Supervised> loads = new ArrayList<>();
        try {
            Thread.sleep(1000);
            String httpStart = ServerResources.describe(http.handle().pid());
            String echoStart = ServerResources.describe(echo.handle().pid());
            out.println("# soak " + ZonedDateTime.now(ZoneOffset.UTC).format(
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")) + ", " + options.minutes() + " min,"
                    + " transport " + options.transport() + ", " + Commands.firstLine(List.of("uname", "-r")).orElse("?")
                    + ", " + Commands.firstLine(List.of(Layout.java().toString(), "-version")).orElse("?"));
            out.println("at the start: http server " + httpStart + "; echo server " + echoStart);

            loads.add(Supervised.start("wrk", List.of("wrk", "-t1", "-c" + CONNECTIONS, "-d" + seconds + "s",
                    "--timeout", "5s", "http://127.0.0.1:" + options.port() + "/"), scratch.resolve("wrk.txt")));
            loads.add(Supervised.start("EchoLoad", new ProcessBuilder(Layout.java().toString(),
                    ServerLaunch.NATIVE_ACCESS, "-cp", "benchmarks/target/benchmarks.jar",
                    "io.jepoll.benchmarks.load.EchoLoad", "--port", Integer.toString(echoPort), "--connections",
                    Integer.toString(CONNECTIONS), "--size", "64", "--duration", seconds + "s", "--warmup", "1s")
                    .redirectOutput(scratch.resolve("echo.txt").toFile())
                    .redirectError(scratch.resolve("echo.err").toFile()), scratch.resolve("echo.txt")));
            loads.add(Supervised.start("Abuse", List.of(Layout.java().toString(), "benchmarks/scripts/Abuse.java",
                    Integer.toString(options.port()), Integer.toString(seconds)), scratch.resolve("abuse.txt")));
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).plus(SLACK).toNanos();
            for (Supervised load : loads) {
                load.waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                load.stop(Duration.ofSeconds(1));
            }
            Thread.sleep(SETTLE.toMillis());
            String httpEnd = ServerResources.describe(http.handle().pid());
            String echoEnd = ServerResources.describe(echo.handle().pid());
            // They print their totals on the way out.
            http.stop(ServerLaunch.STOP_GRACE);
            echo.stop(ServerLaunch.STOP_GRACE);
            out.println("at the end:   http server " + httpEnd + "; echo server " + echoEnd);
            report(http, echo);
        } finally {
            loads.forEach(load -> load.stop(Duration.ofSeconds(1)));
            http.stop(ServerLaunch.STOP_GRACE);
            echo.stop(ServerLaunch.STOP_GRACE);
        }
    }

    private Supervised startServer(String protocol, int port) throws IOException, Supervised.StartException,
            InterruptedException {
        Supervised server = Supervised.start(protocol + " server", List.of(Layout.java().toString(), "-jar",
                "cli/target/jepoll.jar", protocol, "--port", Integer.toString(port), "--transport",
                options.transport(), "--max-time", options.seconds() + SLACK.toSeconds() + "s"),
                scratch.resolve(protocol + ".log"));
        server.awaitLine("listening", ServerLaunch.START_BOUND);
        return server;
    }

    private void report(Supervised http, Supervised echo) throws IOException {
        String wrk = Files.readString(scratch.resolve("wrk.txt"));
        WrkOutput served = WrkOutput.parse(wrk);
        List<String> figures = new ArrayList<>();
        if (!served.failed() || served.requests() > 0) {
            figures.add(served.requests() + " requests");
        }
        served.requestsPerSecond().ifPresent(rate -> figures.add(rate + " req/s"));
        out.println("http (wrk -t1 -c" + CONNECTIONS + "): " + String.join(",", figures));
        wrk.lines().filter(line -> line.contains("Socket errors") || line.contains("Non-2xx"))
                .forEach(line -> out.println("http errors: " + line));
        out.println("echo (EchoLoad): " + Files.readString(scratch.resolve("echo.txt")).stripTrailing());
        Files.readAllLines(scratch.resolve("echo.err")).stream().filter(line -> !line.startsWith("echo-load: "))
                .forEach(line -> out.println("echo stderr: " + line));
        out.print(Files.readString(scratch.resolve("abuse.txt")));
        String logs = http.logText() + echo.logText();
        logs.lines().filter(line -> line.contains("totals:")).forEach(line -> out.println("server " + line));
        out.println("server log lines with WARNING or Exception: " + logs.lines()
                .filter(line -> line.contains("WARNING") || line.contains("Exception")).count());
    }
}
