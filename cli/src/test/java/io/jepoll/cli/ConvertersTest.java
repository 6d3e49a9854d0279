package io.jepoll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.loop.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.TypeConversionException;

/** The converters jepoll's commands and the benchmark tools share. */
class ConvertersTest {

    private final DurationConverter durations = new DurationConverter();
    private final TransportConverter transports = new TransportConverter();
    private final SizeConverter sizes = new SizeConverter();

    @Test
    void sizesAreBytesOrBinaryMultiples() {
        assertThat(sizes.convert("65536")).isEqualTo(65536L);
        assertThat(sizes.convert("64k")).isEqualTo(64L << 10);
        assertThat(sizes.convert(" 256M ")).isEqualTo(256L << 20);
        assertThat(sizes.convert("2g")).isEqualTo(2L << 30);
        for (String bad : new String[] {"", "m", "-1", "1t", "99999999999g"}) {
            assertThatThrownBy(() -> sizes.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a size");
        }
    }

    @Test
    @Timeout(5)
    void durationsAreReadWithTheirUnitOrAsIso() {
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(durations.convert(" 2M ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(durations.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    @Timeout(5)
    void durationsArePrintedAsTheyAreTyped() {
        for (String typed : new String[] {"500ms", "5s", "90s", "2m", "1h", "1500ms"}) {
            assertThat(DurationConverter.format(durations.convert(typed))).isEqualTo(typed);
        }
        assertThat(DurationConverter.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
    }

    @Test
    @Timeout(5)
    void aDurationWithoutAWholeNumberAndAUnitIsRejected() {
        for (String bad : new String[] {"30", "1.5s", "3x", "soon", ""}) {
            assertThatThrownBy(() -> durations.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a duration");
        }
    }

    @Test
    @Timeout(5)
    void transportsAreReadByShortNameAndAnUnknownOneSaysWhichExist() {
        assertThat(transports.convert("et")).isEqualTo(Transport.EPOLL_ET);
        assertThat(transports.convert("nio")).isEqualTo(Transport.NIO);
        assertThatThrownBy(() -> transports.convert("uring"))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("et, lt, nio or blocking");
    }
}
