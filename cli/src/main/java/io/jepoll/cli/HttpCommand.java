package io.jepoll.cli;

import io.jepoll.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return server.serve(spec.commandLine(), server.tlsEnabled() ? "https" : "http", http.connectionHandlers(),
                HttpServer.serviceUnavailable(), HttpServer::https);
    }
}
