package io.jepoll.benchmarks.compare;

import java.util.List;

/** What a load run ends with: the medians, what went wrong in which runs, and how long it all took. */
final class Summary {

    private Summary() {
    }

    /** @param medians the charts' medians table of the run's CSV */
    static String text(String medians, List<RunRow> rows, long elapsedSeconds) {
        StringBuilder text = new StringBuilder(medians);
        List<RunRow> problems = rows.stream().filter(row -> !row.clean()).toList();
        if (!problems.isEmpty()) {
            text.append("what went wrong in those runs:\n");
            problems.forEach(row -> text.append("  ").append(row.problem()).append('\n'));
        }
        return text.append("wall time: ").append(elapsedSeconds / 60).append(" min ").append(elapsedSeconds % 60)
                .append(" s\n").toString();
    }
}
