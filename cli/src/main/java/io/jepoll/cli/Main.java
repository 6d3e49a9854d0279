package io.jepoll.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

/** The {@code jepoll} command: {@code java -jar jepoll.jar <command> [options]}. */
@Command(name = "jepoll",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A Java network I/O library on Linux epoll.",
        subcommands = {InfoCommand.class, EchoCommand.class, EchoClientCommand.class, HttpCommand.class,
                TlsSelfSignedCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Before any command runs, so before the native library is bound: the binding is chosen once per JVM. */
    @CommandLine.Option(names = "--binding", paramLabel = "jna|ffm", scope = CommandLine.ScopeType.INHERIT,
            description = "How the epoll transports call libjepoll: jna (the default) or ffm (JDK 22+; where it"
                    + " cannot load, jna, saying why). The same as java -Djepoll.binding=...")
    void binding(String binding) {
        Options.require(spec.commandLine(), binding.equals("jna") || binding.equals("ffm"),
                "--binding must be jna or ffm: " + binding);
        System.setProperty("jepoll.binding", binding);
    }

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
        CommandLine commandLine = new CommandLine(new Main()).setExecutionExceptionHandler((error, failed, parsed) -> {
            failed.getErr().println("jepoll " + failed.getCommandName() + ": " + error.getMessage());
            failed.getErr().flush();
            return 1;
        });
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
        return commandLine;
    }

    /**
     * The commands with their whole descriptions: picocli's own list shows the first line only,
     * which cuts {@code http}'s routes and {@code echo-client}'s exit codes. A command with a
     * header (picocli's {@code help}) shows its header, as picocli does.
     */
    private static String commandList(Help help) {
        Map<String, Help> commands = help.subcommands();
        int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        int width = help.commandSpec().usageMessage().width();
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN),
                new Help.Column(width - nameWidth, 2, Help.Column.Overflow.WRAP));
        for (Map.Entry<String, Help> command : commands.entrySet()) {
            UsageMessageSpec usage = command.getValue().commandSpec().usageMessage();
            String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? command.getKey() : "", String.format(lines[i]));
            }
        }
        return table.toString();
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
