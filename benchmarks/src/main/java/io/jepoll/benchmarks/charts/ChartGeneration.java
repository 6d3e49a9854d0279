package io.jepoll.benchmarks.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the inputs, works out every chart, and writes those that have data. */
final class ChartGeneration {

    private ChartGeneration() {
    }

    /**
     * Both inputs are read and checked before anything is written, so that a malformed file
     * leaves no half-updated set of charts behind.
     *
     * @param compare the side-by-side load run's CSV, if given
     * @param jmh     JMH's CSV results, if given
     * @return one outcome per chart, in a fixed order
     * @throws ChartInputException if an input file is missing or malformed
     */
    static List<ChartOutcome> generate(Optional<Path> compare, Optional<Path> jmh, Path outDir)
            throws ChartInputException, IOException {
        List<ChartSpec> loadRunSpecs = LoadRunCharts.specs(
                new LoadRunSummary(compare.isPresent() ? LoadRunCsv.read(compare.get()) : List.of()));
        List<ChartSpec> jmhSpecs = JmhCharts.specs(new JmhResults(jmh.isPresent() ? JmhCsv.read(jmh.get()) : List.of()));
        Files.createDirectories(outDir);
        List<ChartOutcome> outcomes = new ArrayList<>();
        outcomes.addAll(render(loadRunSpecs, compare, "--compare", outDir));
        outcomes.addAll(render(jmhSpecs, jmh, "--jmh", outDir));
        return outcomes;
    }

    private static List<ChartOutcome> render(List<ChartSpec> specs, Optional<Path> input, String option, Path outDir)
            throws IOException {
        List<ChartOutcome> outcomes = new ArrayList<>();
        for (ChartSpec spec : specs) {
            if (spec.hasData()) {
                Path file = outDir.resolve(spec.fileName());
                ChartRenderer.writePng(spec, file);
                outcomes.add(new ChartOutcome.Written(file));
            } else {
                outcomes.add(new ChartOutcome.Skipped(spec.fileName(), input
                        .map(file -> "no " + spec.dataWanted() + " in " + file)
                        .orElse("no " + option + " file given")));
            }
        }
        return outcomes;
    }
}
