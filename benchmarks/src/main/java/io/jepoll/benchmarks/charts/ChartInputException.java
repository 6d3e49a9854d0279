package io.jepoll.benchmarks.charts;

/** An input file that is missing or cannot be read as the charts expect; the message names the file, and the line. */
final class ChartInputException extends Exception {

    private static final long serialVersionUID = 1L;

    ChartInputException(String message) {
        super(message);
    }
}
