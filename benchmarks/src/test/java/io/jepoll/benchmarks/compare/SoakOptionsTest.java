package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoakOptionsTest {

    @Test
    void theDefaultsAreSoakShsAndEachOptionSetsItsValue() throws Exception {
        assertThat(SoakOptions.parse(List.of())).isEqualTo(new SoakOptions(10, "et", 18180));
        SoakOptions options = SoakOptions.parse(List.of("--minutes", "2", "--transport", "nio", "--port", "20000"));
        assertThat(options).isEqualTo(new SoakOptions(2, "nio", 20000));
        assertThat(options.seconds()).isEqualTo(120);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--minutes 0       | --minutes must be >= 1",
        "--minutes         | --minutes needs a value",
        "--hours 1         | unknown argument: --hours (see --help)",
        "--transport epoll | --transport must be et, lt, nio or blocking: epoll",
        "--port 65535      | --port must be 1024..65534: 65535",
    })
    void aBadCommandLineIsRefused(String arguments, String message) {
        assertThatThrownBy(() -> SoakOptions.parse(List.of(arguments.split(" "))))
                .isInstanceOf(UsageException.class).hasMessage(message);
    }
}
