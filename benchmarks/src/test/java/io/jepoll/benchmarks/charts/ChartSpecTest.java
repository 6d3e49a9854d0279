package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import io.jepoll.benchmarks.charts.ChartSpec.Style;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChartSpecTest {

    @Test
    @Timeout(10)
    void seriesAndCategoriesWithoutAnyValueAreLeftOut() {
        List<String> servers = List.of("jepoll-et", "nginx", "floor");
        Map<String, Double> cpu = Map.of("jepoll-et", 5.0, "nginx", 4.0);
        Series plain = Series.of("plain", servers,
                server -> cpu.containsKey(server) ? OptionalDouble.of(cpu.get(server)) : OptionalDouble.empty());
        Series none = Series.of("pipelined", servers, server -> OptionalDouble.empty());

        ChartSpec spec = spec(servers, List.of(plain, none));

        assertThat(spec.hasData()).isTrue();
        assertThat(spec.categories()).containsExactly("jepoll-et", "nginx");
        assertThat(spec.series()).containsExactly(new Series("plain", List.of(5.0, 4.0)));
    }

    @Test
    @Timeout(10)
    void aGapInOneSeriesStaysWhileAnotherHasAValueThere() {
        ChartSpec spec = spec(List.of("1", "64"), List.of(new Series("ET", Arrays.asList(1.0, null)),
                new Series("LT", List.of(2.0, 3.0))));

        assertThat(spec.categories()).containsExactly("1", "64");
        assertThat(spec.series().get(0).values()).containsExactly(1.0, null);
    }

    @Test
    @Timeout(10)
    void aChartWithNoValuesHasNoData() {
        assertThat(spec(List.of(), List.of()).hasData()).isFalse();
    }

    private static ChartSpec spec(List<String> categories, List<Series> series) {
        return new ChartSpec("x.png", "title", "x", "y", Style.BARS, "x rows", categories, series);
    }
}
