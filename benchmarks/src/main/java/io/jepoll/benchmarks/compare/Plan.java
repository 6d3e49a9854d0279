package io.jepoll.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which servers run in which benchmark, and about how long that takes.
 *
 * @param skipped why a server does not run, by "benchmark server"
 */
record Plan(CompareOptions options, List<Server> httpServers, List<Server> echoServers, List<Server> staticServers,
        List<Server> httpsServers, Map<String, String> skipped) {

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
        unavailable.forEach((key, reason) -> {
            String benchmark = key.substring(0, key.indexOf(' '));
            Server server = Server.byLabel(key.substring(key.indexOf(' ') + 1)).orElseThrow();
            if (options.runs(benchmark) && options.servers().contains(server)) {
                skipped.put(key, reason);
            }
        });
        return new Plan(options, runnable(options, "http", skipped), runnable(options, "echo", skipped),
                runnable(options, "static", skipped), runnable(options, "https", skipped), skipped);
    }

    private static List<Server> runnable(CompareOptions options, String benchmark, Map<String, String> skipped) {
        if (!options.runs(benchmark)) {
            return List.of();
        }
        return options.servers().stream().filter(server -> switch (benchmark) {
                    case "echo" -> server.speaksEcho();
                    case "static" -> server.servesFiles();
                    case "https" -> server.speaksTls();
                    default -> true;
                })
                .filter(server -> !skipped.containsKey(benchmark + " " + server.label())).toList();
    }

    boolean nothingToRun() {
        return httpServers.isEmpty() && echoServers.isEmpty() && staticServers.isEmpty() && httpsServers.isEmpty();
    }

    int runs() {
        return (httpServers.size() * HTTP_MODES.size() + echoServers.size() + staticServers.size() * STATIC_MODES.size()
                + httpsServers.size() * HTTPS_MODES.size()) * options.rounds();
    }

    /**
     * Per run: the warm-up and the measured seconds, plus starting and stopping the server, plus
     * the EchoLoad JVM for echo (on the 2-core VM the defaults took 7 min 50 s for an estimate of 8 min 51 s).
     */
    int estimatedSeconds() {
        int perRun = options.warmup() + options.seconds();
        int seconds = 0;
        for (Server server : httpServers) {
            seconds += HTTP_MODES.size() * options.rounds() * (perRun + server.startStopSeconds());
        }
        for (Server server : echoServers) {
            seconds += options.rounds() * (perRun + server.startStopSeconds() + ECHO_LOAD_START_STOP_SECONDS);
        }
        for (Server server : staticServers) {
            seconds += STATIC_MODES.size() * options.rounds() * (perRun + server.startStopSeconds());
        }
        for (Server server : httpsServers) {
            seconds += HTTPS_MODES.size() * options.rounds() * (perRun + server.startStopSeconds());
        }
        return seconds;
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

    private static String labels(List<Server> servers) {
        return servers.isEmpty() ? "none" : String.join(" ", servers.stream().map(Server::label).toList());
    }
}
