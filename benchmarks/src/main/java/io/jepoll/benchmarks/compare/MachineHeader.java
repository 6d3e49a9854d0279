package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** The results file's header: when, the command, the machine, the tools, and how the runs measure. */
final class MachineHeader {

    private MachineHeader() {
    }

    static List<String> lines(String commandLine, CompareOptions options, Layout layout, Plan plan) {
        List<String> lines = new ArrayList<>();
        lines.add("# jepoll compare, " + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")));
        lines.add("# command: " + commandLine);
        lines.add("# git: " + Commands.firstLine(List.of("git", "rev-parse", "--short", "HEAD")).orElse("?"));
        lines.add("# kernel: " + Commands.firstLine(List.of("uname", "-r")).orElse("?"));
        for (Jdk jdk : options.jdks()) {
            lines.add("# java " + jdk.label() + ": " + jdk.java() + ", " + Commands.firstLine(
                    List.of(jdk.java().toString(), "-version")).orElse("?"));
        }
        lines.addAll(bindingLines(layout, plan));
        OptionalLong openFiles = OpenFiles.softLimit();
        lines.add("# open files: " + (openFiles.isPresent() ? openFiles.getAsLong() : "?") + " (the servers', wrk's"
                + " and echo-load's limit)");
        options.connections().forEach(count -> OpenFiles.shortfall(openFiles, count)
                .ifPresent(why -> lines.add("# WARNING: " + why)));
        lines.add("# cpu: " + cpuModel() + ", nproc " + Runtime.getRuntime().availableProcessors());
        lines.add("# wrk: " + Commands.firstLineOfAnyExit(List.of("wrk", "-v"))
                .map(line -> line.replaceAll(" Copyright.*", "")).orElse("not installed"));
        lines.add("# nginx: " + layout.nginx().flatMap(nginx -> Commands.firstLine(List.of(nginx.toString(), "-v")))
                .map(line -> line.replace("nginx version: ", "")).orElse("not installed"));
        options.baselineJar().ifPresent(jar -> lines.add("# baseline: the base-* servers run " + jar
                + " with the same command line as the jepoll-* ones"));
        String connections = String.join("/", options.connections().stream().map(String::valueOf).toList());
        lines.add("# method: server alone on CPU 0 (taskset -c 0), load on CPU 1; a fresh server per run; "
                + options.warmup() + " s warm-up,");
        lines.add("#   then " + options.seconds() + " s measured; " + options.rounds() + " round(s), servers in"
                + " alternation; cpu = the utime+stime of the server's processes over");
        lines.add("#   the measured run (nginx: master and worker); syscalls and crossings are jepoll's own counters"
                + " over the");
        lines.add("#   server's whole life (warm-up + measured run), per request; crossings are JNA calls (epoll only);");
        lines.add("#   load cpu % = the load generator's CPU over the measured run: near 100, it set the pace, not the"
                + " server.");
        lines.add("#   http: wrk -t1 -c" + connections + " --timeout " + options.timeout() + "s --latency, GET /, plain and"
                + " 16 per write (scripts/pipeline.lua); p50/p99 are wrk's.");
        lines.add("#   echo: " + (options.echoClient().equals("c")
                ? "echo-load (benchmarks/native/echo_load.c; it warms up once every connection has had its first echo)"
                : "EchoLoad (Java, ET client loop)") + ",");
        lines.add("#   " + connections + " connections ping-ponging " + LoadRuns.ECHO_SIZE + "-byte messages, every byte"
                + " checked (a request = a round trip).");
        lines.add("#   static: wrk -t1 -c" + connections + ", keep-alive GETs of a 4 KiB and a 1 MiB file of random bytes"
                + " (jepoll --root, nginx sendfile on).");
        lines.add("#   every server listens with a backlog of 1024 (jepoll's default; no --max-connections cap).");
        if (options.runs("https")) {
            lines.add("# openssl: " + Tools.find("openssl").flatMap(openssl -> Commands.firstLine(
                    List.of(openssl.toString(), "version"))).orElse("not installed"));
            lines.add("#   https: the same certificate for all, " + TlsFiles.KEY_DESCRIPTION + "; wrk -t1 -c" + connections
                    + " over TLS: GET / plain and 16 per write;");
            lines.add("#   handshake and resumed: a new connection per request (Connection: close), a request = a"
                    + " handshake; handshake: wrk");
            lines.add("#   preloads wrk-fresh-sessions.so and so never resumes (full handshakes); resumed: wrk resumes"
                    + " its last session.");
        }
        lines.addAll(plan.describe());
        return lines;
    }

    /** A jepoll jar run on a JDK with a binding asked for. */
    private record BindingAsked(Jdk jdk, String binding, Path jar) {
    }

    /**
     * What {@code jepoll info} says of the binding under each JDK and binding that runs: until a jar
     * has a second binding, it names none and every run uses JNA, whatever its label says.
     */
    private static List<String> bindingLines(Layout layout, Plan plan) {
        List<String> lines = new ArrayList<>();
        Stream.of(plan.httpServers(), plan.echoServers(), plan.staticServers(), plan.httpsServers())
                .flatMap(List::stream).filter(contender -> contender.binding().isPresent())
                .map(contender -> new BindingAsked(contender.jdk().orElseThrow(), contender.bindingLabel(),
                        layout.jarOf(contender.server())))
                .distinct().forEach(asked -> {
                    String info = Commands.output(List.of(asked.jdk().java().toString(), ServerLaunch.NATIVE_ACCESS,
                            ServerLaunch.BINDING_PROPERTY + asked.binding(), "-jar", asked.jar().toString(), "info"))
                            .orElse("");
                    lines.add("# binding on JDK " + asked.jdk().label() + " with " + ServerLaunch.BINDING_PROPERTY
                            + asked.binding() + " (" + asked.jar().getFileName() + "): " + info.lines()
                            .filter(line -> line.startsWith("binding")).findFirst().map(String::strip)
                            .orElse("jepoll info names none: this jar has JNA only, so the runs use JNA"));
                });
        return lines;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
