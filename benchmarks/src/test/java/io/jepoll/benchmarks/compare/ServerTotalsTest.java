package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerTotalsTest {

    private static final String OLD = "stopped by a signal; totals: connections +64 -64, bytes in 100 out 200,"
            + " wake-ups 7, events 9, crossings 45, syscalls 123 (wait 10, read 50, write 63)";

    @Test
    void theKeyValueLineGivesEveryCounter() {
        Optional<ServerTotals> totals = ServerTotals.parse("jepoll http listening on 127.0.0.1:1 (transport et, 1 loop)\n"
                + OLD + "\ntotals-kv: syscalls=123 crossings=45 wake_ups=7 events=9 bytes_read=100 bytes_written=200"
                + " connections_opened=64 connections_closed=64 wait=10 ctl=0 read=50 write=63\n");

        assertThat(totals).hasValueSatisfying(t -> {
            assertThat(t.syscalls()).isEqualTo(123);
            assertThat(t.crossings()).isEqualTo(45);
            assertThat(t.counters()).containsEntry("bytes_written", 200L).containsEntry("read", 50L)
                    .containsEntry("connections_closed", 64L).hasSize(12);
        });
    }

    @Test
    void anOlderJarsTotalsLineGivesSyscallsAndCrossings() {
        Optional<ServerTotals> totals = ServerTotals.parse("jepoll http listening on 127.0.0.1:1\n" + OLD + "\n");

        assertThat(totals).hasValueSatisfying(t -> {
            assertThat(t.syscalls()).isEqualTo(123);
            assertThat(t.crossings()).isEqualTo(45);
        });
    }

    @Test
    void theLastTotalsCountAndAServerThatPrintedNoneHasNone() {
        String twice = "stopped after PT1S; totals: crossings 1, syscalls 2 (read 2)\n"
                + "stopped after PT1S; totals: crossings 3, syscalls 4 (read 4)\n";

        assertThat(ServerTotals.parse(twice)).map(ServerTotals::syscalls).contains(4L);
        assertThat(ServerTotals.parse("jepoll http listening on 127.0.0.1:1\n")).isEmpty();
    }
}
