package io.jepoll.benchmarks.charts;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV files the charts are drawn from: JMH's {@code -rf csv} output and the load-run
 * script's table. Neither writes a comma, a quote or a line break inside a field (JMH quotes its
 * text fields only to mark them as text), so this reader takes one record per line, splits it at
 * every comma and removes one pair of surrounding quotes. Any other quote means the file is not
 * one of those, and is reported rather than guessed at. Blank lines are skipped, but still counted,
 * so that the line numbers in errors are the ones an editor shows.
 */
final class CsvReader {

    private CsvReader() {
    }

    static CsvTable read(Path file) throws ChartInputException {
        List<String> lines = lines(file);
        List<String> header = null;
        int headerLine = 0;
        List<CsvRow> rows = new ArrayList<>();
        for (int index = 0; index < lines.size(); index++) {
            String text = lines.get(index);
            if (text.isBlank()) {
                continue;
            }
            int line = index + 1;
            List<String> fields = split(text, file, line);
            if (header == null) {
                header = fields;
                headerLine = line;
            } else if (fields.size() != header.size()) {
                throw ChartInputException.at(file, line, fields.size() + " fields, but the header on line " + headerLine
                        + " has " + header.size());
            } else {
                rows.add(new CsvRow(file, line, fields));
            }
        }
        if (header == null) {
            throw new ChartInputException(file + ": empty, expected a header line");
        }
        return new CsvTable(headerLine, header, rows);
    }

    private static List<String> lines(Path file) throws ChartInputException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ChartInputException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new ChartInputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ChartInputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<String> split(String text, Path file, int line) throws ChartInputException {
        List<String> fields = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            boolean quoted = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"");
            String field = quoted ? raw.substring(1, raw.length() - 1) : raw;
            if (field.contains("\"")) {
                throw ChartInputException.at(file, line, "field " + (fields.size() + 1) + " (" + raw
                        + ") has a quote inside it; these files only quote whole fields");
            }
            fields.add(field);
        }
        return fields;
    }
}
