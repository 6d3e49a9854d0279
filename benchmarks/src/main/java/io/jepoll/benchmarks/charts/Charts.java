package io.jepoll.benchmarks.charts;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Draws the benchmark charts as PNG files: those of the side-by-side load run ({@code --compare})
 * and those of the JMH benchmarks ({@code --jmh}). Prints one line per chart, written or skipped.
 */
@Command(name = "Charts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws PNG charts from the side-by-side load run's CSV and from JMH's CSV results.",
                "Prints one line per chart, written or skipped for want of data. Exits 0 when at least one chart"
                        + " was written, 1 when none was or writing failed, 2 when an input file is missing or"
                        + " malformed."})
public final class Charts implements Callable<Integer> {

    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;

    @Option(names = "--compare", paramLabel = "FILE.csv", description = "The side-by-side load run's CSV.")
    Path compare;

    @Option(names = "--jmh", paramLabel = "FILE.csv", description = "JMH results written with -rf csv.")
    Path jmh;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write the charts into; created if missing.")
    Path out;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Charts());
    }

    @Override
    public Integer call() {
        if (compare == null && jmh == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --compare, --jmh or both");
        }
        List<ChartOutcome> outcomes;
        try {
            outcomes = ChartGeneration.generate(Optional.ofNullable(compare), Optional.ofNullable(jmh), out);
        } catch (ChartInputException e) {
            return fail(BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            return fail(FAILURE, "cannot write the charts into " + out + ": " + e);
        }
        PrintWriter printed = spec.commandLine().getOut();
        outcomes.forEach(outcome -> printed.println(outcome.line()));
        printed.flush();
        if (outcomes.stream().noneMatch(ChartOutcome.Written.class::isInstance)) {
            return fail(FAILURE, "no chart written: the inputs hold none of the data the charts are drawn from");
        }
        return 0;
    }

    private int fail(int exitCode, String problem) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("charts: " + problem);
        err.flush();
        return exitCode;
    }
}
