package io.jepoll.benchmarks.charts;

import java.nio.file.Path;

/** An input file that is missing or not what the charts expect; the message names the file and line. */
final class ChartInputException extends Exception {

    private static final long serialVersionUID = 1L;

    ChartInputException(String message) {
        super(message);
    }

    static ChartInputException at(Path file, int line, String problem) {
        return new ChartInputException(file + " line " + line + ": " + problem);
    }
}
