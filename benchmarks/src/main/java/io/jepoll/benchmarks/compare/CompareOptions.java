package io.jepoll.benchmarks.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * compare.sh's options, with its defaults; {@code --install} and {@code --help} are the
 * wrapper's. A value may follow its option or be joined to it with '=' ({@code --rounds=3}).
 *
 * @param servers in the order given: the runs alternate between them in that order
 * @param benchmarks {@code http}, {@code echo}, {@code static} (files, wrk on {@link Plan#STATIC_PATHS}), {@code https}
 *     ({@link Plan#HTTPS_MODES}), or several
 * @param connections the connection counts, each a run of every server (a dimension of the results)
 * @param baselineJar a second jepoll jar, whose servers are the {@code base-*} ones
 * @param jdks what the Java servers run on, each a run of every Java server
 * @param bindings {@code jna}, {@code ffm}: the jepoll epoll servers' binding to the shim, each a run of them
 * @param echoClient the echo load generator: {@code c} (benchmarks/native/echo_load.c) or {@code java} (EchoLoad)
 * @param timeout wrk's {@code --timeout}, in seconds: a request unanswered for that long counts as a timeout error
 */
record CompareOptions(int rounds, int seconds, int warmup, List<Server> servers, List<String> benchmarks,
        List<Integer> connections, int port, Path out, Optional<Path> baselineJar, List<Jdk> jdks,
        List<String> bindings, String echoClient, int timeout) {

    static final List<Server> DEFAULT_SERVERS = List.of(Server.JEPOLL_ET, Server.JEPOLL_LT, Server.JEPOLL_NIO,
            Server.JEPOLL_BLOCKING, Server.NETTY, Server.NGINX, Server.FLOOR, Server.ECHO_FLOOR);
    /** With a baseline jar, each of its servers runs right after the same transport from this checkout. */
    static final List<Server> DEFAULT_SERVERS_WITH_BASELINE = List.of(Server.JEPOLL_ET, Server.BASE_ET,
            Server.JEPOLL_LT, Server.BASE_LT, Server.JEPOLL_NIO, Server.BASE_NIO, Server.JEPOLL_BLOCKING,
            Server.BASE_BLOCKING, Server.NETTY, Server.NGINX, Server.FLOOR, Server.ECHO_FLOOR);
    static final List<String> BENCHMARKS = List.of("http", "echo", "static", "https");
    static final List<String> BINDINGS = List.of(Contender.JNA, Contender.FFM);
    static final List<String> ECHO_CLIENTS = List.of("c", "java");
    private static final List<String> OPTIONS = List.of("--rounds", "--seconds", "--warmup", "--servers", "--benchmarks",
            "--connections", "--port", "--out", "--baseline-jar", "--jdks", "--bindings", "--echo-client", "--timeout");

    CompareOptions {
        servers = List.copyOf(servers);
        benchmarks = List.copyOf(benchmarks);
        connections = List.copyOf(connections);
        jdks = List.copyOf(jdks);
        bindings = List.copyOf(bindings);
    }

    static CompareOptions parse(List<String> arguments) throws UsageException {
        return parse(arguments, Jdk.INSTALLED);
    }

    /** @param installedJdks where a JDK given by its feature release is looked for */
    static CompareOptions parse(List<String> arguments, Path installedJdks) throws UsageException {
        String rounds = "3";
        String seconds = "5";
        String warmup = "3";
        String servers = null;
        String benchmarks = "http echo";
        String connections = "64";
        String port = "18080";
        String out = "benchmarks/results";
        String baselineJar = null;
        String jdks = null;
        String bindings = Contender.JNA;
        String echoClient = "c";
        String timeout = "5";
        List<String> args = new ArrayList<>(arguments);
        while (!args.isEmpty()) {
            String arg = args.remove(0);
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                args.add(0, arg.substring(equals + 1));
                arg = arg.substring(0, equals);
            }
            if (!OPTIONS.contains(arg)) {
                throw new UsageException("unknown argument: " + arg + " (see --help)");
            }
            if (args.isEmpty()) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args.remove(0);
            switch (arg) {
                case "--rounds" -> rounds = value;
                case "--seconds" -> seconds = value;
                case "--warmup" -> warmup = value;
                case "--servers" -> servers = value;
                case "--benchmarks" -> benchmarks = value;
                case "--connections" -> connections = value;
                case "--port" -> port = value;
                case "--out" -> out = value;
                case "--jdks" -> jdks = value;
                case "--bindings" -> bindings = value;
                case "--echo-client" -> echoClient = value;
                case "--timeout" -> timeout = value;
                default -> baselineJar = value;
            }
        }
        Optional<Path> baseline = Optional.ofNullable(baselineJar).map(Path::of);
        if (baseline.isPresent() && !Files.isRegularFile(baseline.get())) {
            throw new UsageException("--baseline-jar: no such file: " + baselineJar);
        }
        int portNumber = wholeNumber(port, 1024, 65535, "--port must be 1024..65535: ");
        if (!ECHO_CLIENTS.contains(echoClient)) {
            throw new UsageException("--echo-client must be c or java: " + echoClient);
        }
        return new CompareOptions(wholeNumber(rounds, 1, Integer.MAX_VALUE, "--rounds must be a whole number >= 1: "),
                wholeNumber(seconds, 1, Integer.MAX_VALUE, "--seconds must be a whole number >= 1: "),
                wholeNumber(warmup, 0, Integer.MAX_VALUE, "--warmup must be a whole number >= 0: "),
                servers(servers, baseline.isPresent()), benchmarks(benchmarks), connections(connections), portNumber,
                Path.of(out), baseline, jdks(jdks, installedJdks), bindings(bindings), echoClient,
                wholeNumber(timeout, 1, 3600, "--timeout must be 1..3600 seconds: "));
    }

    /** The most connections a run opens: the open-files limit must allow them. */
    int mostConnections() {
        return connections.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    boolean runs(String benchmark) {
        return benchmarks.contains(benchmark);
    }

    private static int wholeNumber(String value, int min, int max, String otherwise) throws UsageException {
        if (value.matches("[0-9]{1,9}")) {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw new UsageException(otherwise + value);
    }

    private static List<Server> servers(String list, boolean baseline) throws UsageException {
        if (list == null) {
            return baseline ? DEFAULT_SERVERS_WITH_BASELINE : DEFAULT_SERVERS;
        }
        List<Server> servers = new ArrayList<>();
        for (String label : words(list)) {
            Server server = Server.byLabel(label).orElseThrow(() -> new UsageException(
                    "unknown server '" + label + "' (known: " + Server.labels() + ")"));
            if (server.kind() == Server.Kind.BASELINE && !baseline) {
                throw new UsageException("server '" + label + "' runs the baseline jar: give --baseline-jar PATH");
            }
            servers.add(server);
        }
        return servers;
    }

    private static List<Integer> connections(String list) throws UsageException {
        List<Integer> counts = new ArrayList<>();
        for (String word : distinctWords(list, "--connections")) {
            counts.add(wholeNumber(word, 1, 1_000_000, "--connections must be whole numbers 1..1000000: "));
        }
        return counts;
    }

    private static List<Jdk> jdks(String list, Path installed) throws UsageException {
        if (list == null) {
            return List.of(Jdk.current());
        }
        List<Jdk> jdks = new ArrayList<>();
        for (String word : distinctWords(list, "--jdks")) {
            Jdk jdk = Jdk.resolve(word, installed);
            if (jdks.stream().anyMatch(other -> other.label().equals(jdk.label()))) {
                throw new UsageException("--jdks: two JDKs " + jdk.label() + " would have the same label");
            }
            jdks.add(jdk);
        }
        return jdks;
    }

    private static List<String> bindings(String list) throws UsageException {
        List<String> bindings = distinctWords(list, "--bindings");
        for (String binding : bindings) {
            if (!BINDINGS.contains(binding)) {
                throw new UsageException("unknown binding '" + binding + "' (known: " + String.join(" ", BINDINGS) + ")");
            }
        }
        return bindings;
    }

    /** The words of a list option, which must name at least one value, each once. */
    private static List<String> distinctWords(String list, String option) throws UsageException {
        List<String> words = words(list);
        if (words.isEmpty()) {
            throw new UsageException(option + " needs at least one value");
        }
        if (words.stream().distinct().count() < words.size()) {
            throw new UsageException(option + " names a value twice: " + list.trim());
        }
        return words;
    }

    private static List<String> benchmarks(String list) throws UsageException {
        List<String> benchmarks = words(list);
        for (String benchmark : benchmarks) {
            if (!BENCHMARKS.contains(benchmark)) {
                throw new UsageException("unknown benchmark '" + benchmark + "' (known: " + String.join(" ", BENCHMARKS) + ")");
            }
        }
        return benchmarks;
    }

    private static List<String> words(String list) {
        return Arrays.stream(list.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
