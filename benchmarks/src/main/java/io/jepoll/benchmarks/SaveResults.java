package io.jepoll.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the usual command line and keeps the results where the charts and the README
 * read them: {@code <dir>/<date>-jmh.json} (JMH's own format), {@code .csv} (what the charts
 * read) and {@code .txt} (the machine they came from, which JMH's JSON leaves out: kernel, CPU).
 * The directory is {@code -Djepoll.results=DIR}, default {@code benchmarks/results}.
 */
public final class SaveResults {

    private SaveResults() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("jmh: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(System.getProperty("jepoll.results", "benchmarks/results"));
        Files.createDirectories(dir);
        String stem = freeStem(dir, LocalDate.now(ZoneOffset.UTC) + "-jmh");
        Collection<RunResult> results = new Runner(options).run();
        write(dir.resolve(stem + ".json"), ResultFormatType.JSON, results);
        write(dir.resolve(stem + ".csv"), ResultFormatType.CSV, results);
        Files.writeString(dir.resolve(stem + ".txt"), machine(args), StandardCharsets.UTF_8);
        System.out.println("results: " + dir.resolve(stem) + ".{json,csv,txt}");
    }

    /** An earlier run's results are never overwritten: a second run the same day gets -2, -3, ... */
    private static String freeStem(Path dir, String stem) {
        String candidate = stem;
        for (int n = 2; Files.exists(dir.resolve(candidate + ".json")); n++) {
            candidate = stem + "-" + n;
        }
        return candidate;
    }

    private static void write(Path file, ResultFormatType type, Collection<RunResult> results) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(type, out).writeOut(results);
        }
    }

    private static String machine(String[] args) throws IOException {
        String cpu;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        }
        return "date: " + LocalDate.now(ZoneOffset.UTC) + "\n"
                + "command: java -cp " + System.getProperty("java.class.path") + " " + SaveResults.class.getName()
                + " " + String.join(" ", args) + "\n"
                + "jdk: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + "\n"
                + "kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "\n"
                + "cpu: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " available to the JVM\n";
    }
}
