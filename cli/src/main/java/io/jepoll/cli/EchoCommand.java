package io.jepoll.cli;

import io.jepoll.echo.EchoHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jepoll echo}: an RFC 862 echo server. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Run an echo server: every byte back, in order; a peer's half-close flushes, then closes.")
final class EchoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private ServerOptions server;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EchoHandler handler = new EchoHandler();
        return server.serve(spec.commandLine(), "echo", () -> handler, null, tls -> tls);
    }
}
