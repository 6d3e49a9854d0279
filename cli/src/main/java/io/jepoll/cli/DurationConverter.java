package io.jepoll.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or an ISO-8601 duration such as
 * {@code PT5S}: a picocli {@link CommandLine.ITypeConverter} shared by jepoll's commands and its
 * benchmark tools, so that every command line reads a duration the same way.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt")) {
                return Duration.parse(text);
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 5s, 2m");
        }
    }

    /** A duration as a user would have typed it: {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}; else ISO-8601. */
    static String format(Duration duration) {
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
