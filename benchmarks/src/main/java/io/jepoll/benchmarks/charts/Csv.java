package io.jepoll.benchmarks.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A CSV file the charts are drawn from: compare.sh's table or JMH's {@code -rf csv} output. Neither
 * writes a comma or a line break inside a field, so a record is a line split at every comma; JMH
 * quotes its text fields, and those quotes are removed.
 */
record Csv(List<String> header, List<Row> rows) {

    /** One record, with its line so that a value that cannot be read is reported where an editor shows it. */
    record Row(Path file, int line, List<String> fields) {

        String text(int column) {
            return fields.get(column);
        }

        double number(int column, String name) throws ChartInputException {
            try {
                return Double.parseDouble(text(column));
            } catch (NumberFormatException e) {
                throw error(name + " is '" + text(column) + "', not a number");
            }
        }

        /** An empty field means "not measured for this server", which is not zero. */
        OptionalDouble optionalNumber(int column, String name) throws ChartInputException {
            return text(column).isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(number(column, name));
        }

        ChartInputException error(String problem) {
            return new ChartInputException(file + " line " + line + ": " + problem);
        }
    }

    static Csv read(Path file) throws ChartInputException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new ChartInputException(file + ": no such file");
        } catch (IOException e) {
            throw new ChartInputException(file + ": cannot be read (" + e + ")");
        }
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (int index = 0; index < lines.size(); index++) {
            if (lines.get(index).isBlank()) {
                continue;
            }
            Row row = new Row(file, index + 1, split(lines.get(index)));
            if (header == null) {
                header = row.fields();
            } else if (row.fields().size() != header.size()) {
                throw row.error(row.fields().size() + " fields, but the header has " + header.size());
            } else {
                rows.add(row);
            }
        }
        if (header == null) {
            throw new ChartInputException(file + ": empty, expected a header line");
        }
        return new Csv(header, rows);
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        for (String field : line.split(",", -1)) {
            boolean quoted = field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"");
            fields.add(quoted ? field.substring(1, field.length() - 1) : field);
        }
        return fields;
    }
}
