package io.jepoll.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Runs the jepoll command in this JVM for the tests: to its end, or as a server whose port it prints. */
final class CommandRuns {

    /** What a command printed, and how it ended. */
    record Output(int exitCode, String text, String errors) {
    }

    private CommandRuns() {
    }

    /** Runs the command to its end. */
    static Output run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Output(exitCode, out.toString(), err.toString());
    }

    /** The command, printing to {@code out} as it goes, for a server run on a thread of the test's. */
    static CommandLine command(StringWriter out) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        return commandLine;
    }

    /** The port a server says it listens on, in its first {@code listening} match, within 10 s. */
    static int awaitPort(StringWriter serverOut, Pattern listening) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Matcher matcher = listening.matcher(serverOut.toString());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the server did not say where it listens: " + serverOut);
    }
}
