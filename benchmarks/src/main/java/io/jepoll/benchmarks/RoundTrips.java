package io.jepoll.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Round trips completed (an echoed message, or an HTTP request answered), reported by JMH as
 * round trips per second next to the score, which counts waves of them. JMH zeroes it at the
 * start of each iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RoundTrips {

    public long roundTrips;
}
