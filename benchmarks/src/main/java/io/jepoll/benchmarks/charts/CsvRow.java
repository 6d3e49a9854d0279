package io.jepoll.benchmarks.charts;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One record of a CSV file, with where it came from so that every complaint about it can name
 * the line. The number parsers are strict on purpose: {@link Double#parseDouble} would also take
 * "Infinity", "0x1p3" or "12d", none of which these files should ever hold.
 */
record CsvRow(Path file, int line, List<String> fields) {

    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");

    String field(int column) {
        return fields.get(column);
    }

    String requiredText(int column, String name) throws ChartInputException {
        String text = field(column);
        if (text.isEmpty()) {
            throw error(name + " is empty");
        }
        return text;
    }

    double decimal(int column, String name) throws ChartInputException {
        String text = field(column);
        if (!DECIMAL.matcher(text).matches()) {
            throw error(name + " is '" + text + "', not a number");
        }
        return Double.parseDouble(text);
    }

    /** An empty field means "not applicable", which is different from zero. */
    OptionalDouble optionalDecimal(int column, String name) throws ChartInputException {
        return field(column).isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(decimal(column, name));
    }

    int nonNegativeInteger(int column, String name) throws ChartInputException {
        String text = field(column);
        if (!NON_NEGATIVE_INTEGER.matcher(text).matches()) {
            throw error(name + " is '" + text + "', not a whole number");
        }
        return Integer.parseInt(text);
    }

    ChartInputException error(String problem) {
        return ChartInputException.at(file, line, problem);
    }
}
