package io.jepoll.cli;

import io.jepoll.http.HttpServer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jepoll http}: an HTTP/1.1 server with the built-in routes. */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"Run an HTTP/1.1 server with the built-in routes:",
                "  GET /           hello\\n",
                "  GET /plaintext  Hello, World!",
                "  POST /echo      the request body, with its content type"})
final class HttpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private ServerOptions server;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return server.serve(spec.commandLine(), "http", HttpServer.builder().builtInRoutes().connectionHandlers(),
                HttpServer.serviceUnavailable());
    }
}
