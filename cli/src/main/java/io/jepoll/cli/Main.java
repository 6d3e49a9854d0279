package io.jepoll.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jepoll} command: {@code java -jar jepoll.jar <command> [options]}. */
@Command(name = "jepoll",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A Java network I/O library on Linux epoll.",
        subcommands = {InfoCommand.class, EchoCommand.class, EchoClientCommand.class, HttpCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; for tests and embedding. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line, set up so that a failure (a port in use, a transport that cannot run
     * here) is one line on stderr and exit code 1, not a stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((error, commandLine, parsed) -> {
            commandLine.getErr().println("jepoll " + commandLine.getCommandName() + ": " + error.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jepoll " + version()};
        }
    }
}
