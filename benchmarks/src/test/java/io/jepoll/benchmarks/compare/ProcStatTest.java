package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcStatTest {

    /** A comm with spaces and a parenthesis, as a process may name itself. */
    private static final String STAT = "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 2714 0 0 0 "
            + "120 35 7 4 20 0 23 0 1234567 7000000000 50000 18446744073709551615";

    @Test
    void ownTicksAreUtimePlusStimeAndChildrenTicksCutimePlusCstime() {
        assertThat(ProcStat.ownTicks(STAT)).isEqualTo(120 + 35);
        assertThat(ProcStat.state(ProcessHandle.current().pid())).hasValueSatisfying(state -> assertThat(state).isIn('R', 'S'));
        assertThat(ProcStat.waitedForChildrenTicks(STAT)).isEqualTo(7 + 4);
    }

    @Test
    void aRunningProcessHasTicksAndAnExitedOneHasNone() throws Exception {
        assertThat(ProcStat.ownTicks(ProcessHandle.current().pid())).isPresent();
        assertThat(ProcStat.treeTicks(ProcessHandle.current())).isPresent();

        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        assertThat(ProcStat.treeTicks(exited.toHandle())).isEmpty();
    }

    @Test
    void aChildWaitedForAddsItsCpuTimeToThisJvmsChildrenTicks() throws Exception {
        long before = ProcStat.waitedForChildrenTicks();
        // Busy for a few tenths of a second: well over one tick.
        Process busy = new ProcessBuilder(List.of("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done"))
                .start();
        assertThat(busy.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(ProcStat.waitedForChildrenTicks()).isGreaterThan(before);
    }

    @Test
    void theClockTickRateIsTheKernels() {
        assertThat(ProcStat.ticksPerSecond()).isEqualTo(Long.parseLong(
                Commands.firstLine(List.of("getconf", "CLK_TCK")).orElseThrow()));
    }
}
