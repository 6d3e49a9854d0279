package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How each server starts: alone on CPU 0 (the load generator gets CPU 1), with a deadline of
 * its own as a safety net should this JVM be killed without its shutdown hook; the run stops
 * it well before.
 */
final class ServerLaunch {

    static final String SERVER_CPU = "0";
    static final String LOAD_CPU = "1";
    /** JVMs on this shared machine can be slow to start. */
    static final Duration START_BOUND = Duration.ofSeconds(30);
    /** A JVM runs its shutdown hooks (a jepoll server prints its totals) before it exits. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /**
     * With --enable-native-access the JDK does not warn about JNA's and Netty's native code, and
     * allows FFM's downcalls; JDK 17 knows the option too. Given on every JDK, so that the command
     * lines differ in the JDK only.
     */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** How a jepoll server is told its binding to the shim; a jar that has only JNA ignores it. */
    static final String BINDING_PROPERTY = "-Djepoll.binding=";

    private ServerLaunch() {
    }

    /**
     * The command line; nginx's reads the configuration {@link #writeNginxConfig} writes into {@code nginxDir}.
     *
     * @param benchmark {@code http}, {@code echo}, {@code static}: jepoll's HTTP server with --root, or
     *     {@code https}: with the layout's certificate and key
     */
    static List<String> command(Contender contender, String benchmark, int port, int maxSeconds, Layout layout,
            Path nginxDir) {
        Server server = contender.server();
        List<String> command = new ArrayList<>(List.of("taskset", "-c", SERVER_CPU));
        String maxTime = maxSeconds + "s";
        String java = contender.jdk().map(Jdk::java).orElse(Layout.java()).toString();
        switch (server.kind()) {
            case JEPOLL, BASELINE -> {
                command.addAll(List.of(java, NATIVE_ACCESS));
                contender.binding().ifPresent(binding -> command.add(BINDING_PROPERTY + binding));
                command.addAll(List.of("-jar", layout.jarOf(server).toString(),
                        benchmark.equals("echo") ? "echo" : "http", "--port", Integer.toString(port), "--transport",
                        server.transport(), "--max-time", maxTime));
                if (benchmark.equals("static")) {
                    command.addAll(List.of("--root", layout.files().toString()));
                }
                if (benchmark.equals("https")) {
                    TlsFiles tls = layout.tls().orElseThrow();
                    command.addAll(List.of("--tls-cert", tls.certificate().toString(), "--tls-key",
                            tls.key().toString()));
                }
            }
            // As Netty's own benchmark servers run: no sampled leak detection (it records stack traces).
            case NETTY -> command.addAll(List.of(java, NATIVE_ACCESS,
                    "-Dio.netty.leakDetection.level=disabled", "-cp", layout.benchJar().toString(),
                    "io.jepoll.benchmarks.reference." + (benchmark.equals("echo") ? "NettyEchoServer" : "NettyHttpServer"),
                    "--port", Integer.toString(port), "--max-time", maxTime));
            // timeout passes SIGTERM on to nginx, which stops its worker and exits.
            case NGINX -> command.addAll(List.of("timeout", "-s", "TERM", maxTime,
                    layout.nginx().orElseThrow().toString(), "-p", nginxDir.toString(),
                    "-c", nginxDir.resolve("nginx.conf").toString(), "-e", nginxDir.resolve("error.log").toString()));
            case FLOOR -> command.addAll(List.of(layout.floor().orElseThrow().toString(), Integer.toString(port),
                    Integer.toString(maxSeconds)));
            case ECHO_FLOOR -> command.addAll(List.of(layout.echoFloor().orElseThrow().toString(),
                    Integer.toString(port), Integer.toString(maxSeconds)));
        }
        return command;
    }

    /** Starts the server and waits until it is ready: it says "listening", or (nginx) its port is taken. */
    static Supervised start(Contender contender, String benchmark, int port, int maxSeconds, Layout layout)
            throws IOException, Supervised.StartException, InterruptedException {
        Server server = contender.server();
        Path nginxDir = layout.scratch().resolve("nginx");
        if (server == Server.NGINX) {
            writeNginxConfig(layout.nginxTemplate(), nginxDir, port, layout.files(),
                    benchmark.equals("https") ? layout.tls() : Optional.empty());
        }
        Supervised process = Supervised.start(contender.label(),
                command(contender, benchmark, port, maxSeconds, layout, nginxDir), layout.scratch().resolve("server.log"));
        if (server == Server.NGINX) {
            process.awaitListener(port, START_BOUND);
        } else {
            process.awaitLine("listening", START_BOUND);
        }
        return process;
    }

    /**
     * nginx.conf from the template: @PORT@, @DIR@ and @ROOT@ (the files it serves) replaced, sendfile
     * on; with {@code tls}, @SSL@ is the listen directive's {@code ssl} and @TLS@ (after it) the lines of nginx's
     * certificate, key and protocols (TLS 1.2 and 1.3, the rest nginx's defaults), else both are empty; the directory
     * readable by a worker of another user.
     */
    static void writeNginxConfig(Path template, Path dir, int port, Path root, Optional<TlsFiles> tls)
            throws IOException {
        Files.createDirectories(dir);
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.getParent().toFile().setExecutable(true, false);
        Files.writeString(dir.resolve("nginx.conf"), Files.readString(template)
                .replace("@PORT@", Integer.toString(port)).replace("@DIR@", dir.toString())
                .replace("@ROOT@", root.toString()).replace("@SENDFILE@", "on")
                .replace("@SSL@", tls.isPresent() ? " ssl" : "")
                .replace("@TLS@", tls.map(files -> "\n        ssl_certificate " + files.certificate() + ";\n        "
                        + "ssl_certificate_key " + files.key() + ";\n        ssl_protocols TLSv1.2 TLSv1.3;").orElse("")));
    }
}
