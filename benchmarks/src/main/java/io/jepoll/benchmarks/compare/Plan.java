package io.jepoll.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which servers run in which benchmark, on which JDKs and bindings, and about how long that takes.
 *
 * @param skipped why a server does not run, by "benchmark label"
 */
record Plan(CompareOptions options, List<Contender> httpServers, List<Contender> echoServers,
        List<Contender> staticServers, List<Contender> httpsServers, Map<String, String> skipped) {

    static final List<String> HTTP_MODES = List.of("plain", "pipeline16");
    /** The static benchmark's modes, each the path of a file {@link StaticFiles} writes, which wrk asks for. */
    static final Map<String, String> STATIC_PATHS = Map.of("file4k", "/4k.bin", "file1m", "/1m.bin");
    static final List<String> STATIC_MODES = List.of("file4k", "file1m");
    /**
     * HTTPS GET /: keep-alive plain and 16-deep pipelined; then a new connection per request
     * ({@code Connection: close}), with a full handshake each ({@code handshake}: wrk made to forget
     * its session) and as wrk does by itself, resuming its last session ({@code resumed}).
     */
    static final List<String> HTTPS_MODES = List.of("plain", "pipeline16", "handshake", "resumed");
    /** The modes in which a request is a TLS handshake. */
    static final List<String> HANDSHAKE_MODES = List.of("handshake", "resumed");
    /** The EchoLoad JVM's own start and stop. */
    private static final int ECHO_LOAD_START_STOP_SECONDS = 2;

    Plan {
        httpServers = List.copyOf(httpServers);
        echoServers = List.copyOf(echoServers);
        staticServers = List.copyOf(staticServers);
        httpsServers = List.copyOf(httpsServers);
        skipped = Map.copyOf(skipped);
    }

    /**
     * @param unavailable why a server cannot run in a benchmark, by "benchmark server"; a server
     *     that does not speak echo, or serves no files, is left out of that benchmark without a reason
     */
    static Plan of(CompareOptions options, Map<String, String> unavailable) {
        Map<String, String> skipped = new TreeMap<>();
        return new Plan(options, runnable(options, "http", unavailable, skipped),
                runnable(options, "echo", unavailable, skipped), runnable(options, "static", unavailable, skipped),
                runnable(options, "https", unavailable, skipped), skipped);
    }

    /**
     * The servers of the benchmark in the order given, each on every JDK and (jepoll's epoll
     * transports) with every binding; FFM on a JDK without it is skipped, since the server would
     * run on JNA under an FFM label.
     */
    private static List<Contender> runnable(CompareOptions options, String benchmark, Map<String, String> unavailable,
            Map<String, String> skipped) {
        if (!options.runs(benchmark)) {
            return List.of();
        }
        List<Contender> contenders = new ArrayList<>();
        for (Server server : options.servers()) {
            if (!speaks(server, benchmark)) {
                continue;
            }
            String reason = unavailable.get(benchmark + " " + server.label());
            if (reason != null) {
                skipped.put(benchmark + " " + server.label(), reason);
                continue;
            }
            if (!server.runsOnJdk()) {
                contenders.add(Contender.of(server));
                continue;
            }
            for (Jdk jdk : options.jdks()) {
                List<Optional<String>> bindings = server.countsCrossings()
                        ? options.bindings().stream().map(Optional::of).toList() : List.of(Optional.empty());
                for (Optional<String> binding : bindings) {
                    Contender contender = new Contender(server, Optional.of(jdk), binding);
                    if (binding.equals(Optional.of(Contender.FFM)) && !jdk.hasFfm()) {
                        skipped.put(benchmark + " " + contender.label(), "the FFM binding needs JDK "
                                + Jdk.FIRST_WITH_FFM + "+ (on JDK " + jdk.label() + " the server falls back to JNA)");
                    } else {
                        contenders.add(contender);
                    }
                }
            }
        }
        return contenders;
    }

    private static boolean speaks(Server server, String benchmark) {
        return switch (benchmark) {
            case "echo" -> server.speaksEcho();
            case "static" -> server.servesFiles();
            case "https" -> server.speaksTls();
            default -> server.speaksHttp();
        };
    }

    boolean nothingToRun() {
        return httpServers.isEmpty() && echoServers.isEmpty() && staticServers.isEmpty() && httpsServers.isEmpty();
    }

    int runs() {
        return (httpServers.size() * HTTP_MODES.size() + echoServers.size() + staticServers.size() * STATIC_MODES.size()
                + httpsServers.size() * HTTPS_MODES.size()) * options.rounds() * options.connections().size();
    }

    /**
     * Per run: the warm-up and the measured seconds, plus starting and stopping the server, plus
     * the EchoLoad JVM for echo when it is the load generator (on the 2-core VM the defaults took
     * 7 min 50 s for an estimate of 8 min 51 s).
     */
    int estimatedSeconds() {
        int perRun = options.warmup() + options.seconds();
        int echoLoad = options.echoClient().equals("java") ? ECHO_LOAD_START_STOP_SECONDS : 0;
        int seconds = 0;
        for (Contender contender : httpServers) {
            seconds += HTTP_MODES.size() * (perRun + contender.server().startStopSeconds());
        }
        for (Contender contender : echoServers) {
            seconds += perRun + contender.server().startStopSeconds() + echoLoad;
        }
        for (Contender contender : staticServers) {
            seconds += STATIC_MODES.size() * (perRun + contender.server().startStopSeconds());
        }
        for (Contender contender : httpsServers) {
            seconds += HTTPS_MODES.size() * (perRun + contender.server().startStopSeconds());
        }
        return seconds * options.rounds() * options.connections().size();
    }

    /** The header's lines on what does not run and what does. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        skipped.forEach((key, reason) -> lines.add("# skipped: " + key.substring(key.indexOf(' ') + 1) + " ("
                + key.substring(0, key.indexOf(' ')) + "): " + reason));
        lines.add("# http servers: " + labels(httpServers));
        lines.add("# echo servers: " + labels(echoServers));
        if (options.runs("static")) {
            lines.add("# static servers: " + labels(staticServers));
        }
        if (options.runs("https")) {
            lines.add("# https servers: " + labels(httpsServers));
        }
        return lines;
    }

    private static String labels(List<Contender> contenders) {
        return contenders.isEmpty() ? "none" : String.join(" ", contenders.stream().map(Contender::label).toList());
    }
}
