package io.jepoll.cli;

import io.jepoll.http.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jepoll http}: an HTTP/1.1 server with the built-in routes. */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"Run an HTTP/1.1 server with the built-in routes:",
                "  GET /           hello\\n",
                "  GET /plaintext  Hello, World!",
                "  POST /echo      the request body, streamed back as it arrives, with its content type",
                "  GET /delay?ms=N an answer after N ms, from a loop timer",
                "  GET /health     ok, or 503 draining while --drain runs",
                "and, with --root, the files under a directory at every other path."})
final class HttpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private ServerOptions server;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Serve the files under DIR (GET and HEAD, with sendfile on epoll) at every path"
                    + " no built-in route answers.")
    private Path root;

    @Option(names = "--max-buffered", paramLabel = "BYTES", converter = SizeConverter.class,
            description = "The most all connections may hold in queued answers and buffered request bodies"
                    + " (e.g. 256m); past it the biggest holders are closed (default: a quarter of the heap).")
    private Long maxBuffered;

    @Option(names = "--access-log", arity = "0..1", fallbackValue = "-", paramLabel = "FILE",
            description = "Log every answered request, one line each (the Common Log Format, then the"
                    + " microseconds it took and the balancer's address behind --proxy-protocol), to standard"
                    + " output, or appended to FILE (default: no access log).")
    private String accessLog;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Options.require(spec.commandLine(), root == null || Files.isDirectory(root),
                "--root must be a directory: " + root);
        Options.require(spec.commandLine(), maxBuffered == null || maxBuffered >= 1,
                "--max-buffered must be >= 1: " + maxBuffered);
        HttpServer.Builder http = HttpServer.builder().builtInRoutes();
        if (maxBuffered != null) {
            http.maxBuffered(maxBuffered);
        }
        if (root != null) {
            http.staticFiles("/", root);
        }
        try (PrintWriter file = accessLog == null || accessLog.equals("-") ? null : append(Path.of(accessLog))) {
            if (accessLog != null) {
                // Line by line, as nginx writes by default: a line is out once its request is answered.
                PrintWriter log = file != null ? file : spec.commandLine().getOut();
                http.accessLog(line -> {
                    log.println(line);
                    log.flush();
                });
            }
            return server.serve(spec.commandLine(), server.tlsEnabled() ? "https" : "http",
                    http.connectionHandlers(), HttpServer.serviceUnavailable(), HttpServer::https);
        }
    }

    private static PrintWriter append(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }
}
