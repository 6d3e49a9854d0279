package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.JmhCharts.Result;
import io.jepoll.benchmarks.charts.LoadRunCharts.Run;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Draws the benchmark charts as PNG files, those of the side-by-side load run ({@code --compare})
 * and those of the JMH benchmarks ({@code --jmh}), and prints the load run's summary table
 * ({@code --summary}).
 */
@Command(name = "Charts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws PNG charts from the side-by-side load run's CSV and from JMH's CSV results,"
                + " printing one line per chart, written or skipped for want of data; prints the load run's"
                + " medians with --summary.",
                "Exits 0 on success, 1 when no chart was written or writing failed, 2 when an input file is"
                        + " missing or malformed."})
public final class Charts implements Callable<Integer> {

    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;

    @Option(names = "--compare", paramLabel = "FILE.csv", description = "The side-by-side load run's CSV.")
    Path compare;

    @Option(names = "--jmh", paramLabel = "FILE.csv", description = "JMH results written with -rf csv.")
    Path jmh;

    @Option(names = "--summary", description = "Print the load run's medians per benchmark, mode and server.")
    boolean summary;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory to write the charts into; created if missing. Not needed for --summary alone.")
    Path out;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Charts());
    }

    /**
     * The load run's medians table, as {@code --summary} prints it.
     *
     * @throws IOException when the file is missing or malformed; the message names the file and the line
     */
    public static String summary(Path compareCsv) throws IOException {
        try {
            return LoadRunSummary.text(LoadRunCharts.read(compareCsv));
        } catch (ChartInputException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        if (compare == null && jmh == null) {
            throw new ParameterException(spec.commandLine(), "give --compare, --jmh or both");
        }
        if (summary && compare == null) {
            throw new ParameterException(spec.commandLine(), "--summary needs --compare");
        }
        if (out == null && !(summary && jmh == null)) {
            throw new ParameterException(spec.commandLine(), "give --out DIR for the charts");
        }
        PrintWriter printed = spec.commandLine().getOut();
        try {
            // Both inputs are read, and every chart worked out, before anything is written, so
            // that a malformed file leaves no half-updated set of charts behind.
            List<Run> runs = compare == null ? List.of() : LoadRunCharts.read(compare);
            List<Result> results = jmh == null ? List.of() : JmhCharts.read(jmh);
            List<ChartSpec> loadRunSpecs = LoadRunCharts.specs(LoadRunCharts.group(runs));
            List<ChartSpec> jmhSpecs = new JmhCharts(results).specs();
            if (summary) {
                printed.print(LoadRunSummary.text(runs));
                printed.flush();
            }
            if (out == null) {
                return 0;
            }
            Files.createDirectories(out);
            int written = render(loadRunSpecs, compare, "--compare", printed) + render(jmhSpecs, jmh, "--jmh", printed);
            return written > 0 ? 0
                    : fail(FAILURE, "no chart written: the inputs hold none of the data the charts are drawn from");
        } catch (ChartInputException e) {
            return fail(BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            return fail(FAILURE, "cannot write the charts into " + out + ": " + e);
        }
    }

    /** Writes the charts that have data, prints a line for each chart; returns how many were written. */
    private int render(List<ChartSpec> specs, Path input, String option, PrintWriter printed) throws IOException {
        int written = 0;
        for (ChartSpec chart : specs) {
            if (chart.hasData()) {
                Path file = out.resolve(chart.fileName());
                ChartRenderer.writePng(chart, file);
                printed.println("wrote " + file);
                written++;
            } else {
                String reason = input == null ? option + " file given" : chart.dataWanted() + " in " + input;
                printed.println("skipped " + chart.fileName() + ": no " + reason);
            }
        }
        printed.flush();
        return written;
    }

    private int fail(int exitCode, String problem) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("charts: " + problem);
        err.flush();
        return exitCode;
    }
}
