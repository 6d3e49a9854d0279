package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerResourcesTest {

    @Test
    void theHeapUsedIsTheWholeHeapsFigureFromJcmd() {
        String heapInfo = """
                12345:
                 garbage-first heap   total 262144K, used 6158K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 2 young (2048K), 0 survivors (0K)
                 Metaspace       used 9876K, committed 10112K, reserved 1114112K
                """;

        assertThat(ServerResources.heapUsed(heapInfo)).contains("6158K");
        assertThat(ServerResources.heapUsed("12345:\n")).isEmpty();
    }

    @Test
    void theResidentMemoryIsVmRss() {
        assertThat(ServerResources.rssKilobytes("Name:\tjava\nVmHWM:\t  60000 kB\nVmRSS:\t   55320 kB\n"))
                .contains("55320");
    }

    @Test
    void thisJvmsResourcesAreDescribed() {
        assertThat(ServerResources.describe(ProcessHandle.current().pid()))
                .matches("fds \\d+, heap \\S+ after a full GC, rss \\d+ kB");
    }
}
