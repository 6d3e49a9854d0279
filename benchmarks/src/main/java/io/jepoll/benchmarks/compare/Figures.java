package io.jepoll.benchmarks.compare;

import java.util.Locale;
import java.util.OptionalLong;

/** The CSV's derived figures, formatted as compare.sh always wrote them; empty where there is nothing to divide. */
final class Figures {

    private Figures() {
    }

    /** {@code numerator / denominator} with {@code decimals} decimals. */
    static String per(long numerator, long denominator, int decimals) {
        return denominator > 0 ? String.format(Locale.ROOT, "%." + decimals + "f", (double) numerator / denominator)
                : "";
    }

    /** CPU microseconds per request from the ticks between two readings. */
    static String cpuMicrosPer(OptionalLong before, OptionalLong after, long requests, long ticksPerSecond) {
        if (before.isEmpty() || after.isEmpty() || requests <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.3f",
                (after.getAsLong() - before.getAsLong()) * 1e6 / ticksPerSecond / requests);
    }

    /** The share of one CPU used over {@code seconds}, in percent. */
    static String cpuPercent(OptionalLong before, OptionalLong after, int seconds, long ticksPerSecond) {
        if (before.isEmpty() || after.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f",
                (after.getAsLong() - before.getAsLong()) * 100.0 / ticksPerSecond / seconds);
    }
}
