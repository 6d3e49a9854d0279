package io.jepoll.benchmarks.charts;

import java.util.OptionalDouble;

/**
 * One round of one server in the side-by-side load run: the columns the charts show. An empty
 * measurement is absent (not applicable to that server), never zero.
 *
 * @param connections the connection count as written, empty when not given
 */
record LoadRun(String benchmark, String mode, String server, int round, String connections,
               OptionalDouble requestsPerSecond, OptionalDouble cpuMicrosPerRequest) {
}
