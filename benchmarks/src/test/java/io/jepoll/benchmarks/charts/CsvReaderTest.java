package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void quotesAroundWholeFieldsAreRemovedAndEmptyFieldsKept() throws Exception {
        Path file = write("\"Benchmark\",\"Score\",\"Param: size\"\n\"a.b\",1.5,\n\n\"c.d\",2,64\n");

        CsvTable table = CsvReader.read(file);

        assertThat(table.headerLine()).isEqualTo(1);
        assertThat(table.header()).containsExactly("Benchmark", "Score", "Param: size");
        assertThat(table.rows()).extracting(CsvRow::fields)
                .containsExactly(List.of("a.b", "1.5", ""), List.of("c.d", "2", "64"));
        assertThat(table.rows()).extracting(CsvRow::line).as("blank lines still count").containsExactly(2, 4);
    }

    @Test
    @Timeout(10)
    void aRowWithTheWrongFieldCountIsReportedWithItsLine() throws Exception {
        Path file = write("a,b,c\n1,2,3\n1,2\n");

        assertThatThrownBy(() -> CsvReader.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 3: 2 fields, but the header on line 1 has 3");
    }

    @Test
    @Timeout(10)
    void aQuoteInsideAFieldIsRefused() throws Exception {
        Path file = write("a,b\n\"x\"y,2\n");

        assertThatThrownBy(() -> CsvReader.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessageStartingWith(file + " line 2: field 1");
    }

    @Test
    @Timeout(10)
    void aMissingOrEmptyFileIsReported() throws Exception {
        Path missing = dir.resolve("missing.csv");
        Path empty = write("\n");

        assertThatThrownBy(() -> CsvReader.read(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> CsvReader.read(empty)).hasMessage(empty + ": empty, expected a header line");
    }

    @Test
    @Timeout(10)
    void numbersAreParsedStrictly() throws Exception {
        CsvRow row = new CsvRow(Path.of("f.csv"), 7, List.of("12.5", "", "1e3", "Infinity", "3", "-1"));

        assertThat(row.decimal(0, "score")).isEqualTo(12.5);
        assertThat(row.optionalDecimal(1, "cpu")).isEmpty();
        assertThat(row.decimal(2, "score")).isEqualTo(1000);
        assertThatThrownBy(() -> row.decimal(3, "score")).hasMessage("f.csv line 7: score is 'Infinity', not a number");
        assertThat(row.nonNegativeInteger(4, "round")).isEqualTo(3);
        assertThatThrownBy(() -> row.nonNegativeInteger(5, "errors"))
                .hasMessage("f.csv line 7: errors is '-1', not a whole number");
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("input.csv"), content);
    }
}
