package io.jepoll.benchmarks.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The echo load's result line, EchoLoad's and the C echo-load's, {@code echo connections=64 ...
 * roundtrips_per_second=24691.2 ... total_roundtrips=.. errors=0} (the C client adds {@code cpu_percent}),
 * as its fields.
 */
record EchoLoadLine(Map<String, String> fields) {

    EchoLoadLine {
        fields = Map.copyOf(fields);
    }

    /** The first result line in EchoLoad's stdout; empty when it printed none. */
    static Optional<EchoLoadLine> parse(String output) {
        return output.lines().filter(line -> line.startsWith("echo ")).findFirst().map(line -> {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String word : line.substring("echo ".length()).trim().split("\\s+")) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    fields.put(word.substring(0, equals), word.substring(equals + 1));
                }
            }
            return new EchoLoadLine(fields);
        });
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** A count field, 0 when absent. */
    long count(String name) {
        return field(name).filter(value -> value.matches("\\d+")).map(Long::parseLong).orElse(0L);
    }
}
