package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MedianTest {

    @Test
    @Timeout(10)
    void anOddCountGivesTheMiddleValueWhateverTheOrder() {
        assertThat(Median.of(List.of(30.0, 10.0, 20.0))).isEqualTo(20.0);
        assertThat(Median.of(List.of(5.0))).isEqualTo(5.0);
    }

    @Test
    @Timeout(10)
    void anEvenCountGivesTheMeanOfTheTwoMiddleValues() {
        assertThat(Median.of(List.of(40.0, 10.0, 30.0, 20.0))).isEqualTo(25.0);
        assertThat(Median.of(List.of(1.0, 2.0))).isEqualTo(1.5);
    }

    @Test
    @Timeout(10)
    void noValuesHaveNoMedian() {
        assertThatThrownBy(() -> Median.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
