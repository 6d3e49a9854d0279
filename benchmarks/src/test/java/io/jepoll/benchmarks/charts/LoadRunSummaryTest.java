package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LoadRunSummaryTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void theTableHasTheMediansOfTheCleanRunsAndListsTheRunsWithErrors() throws Exception {
        Path csv = Files.writeString(dir.resolve("compare.csv"), LoadRunChartsTest.HEADER
                + "http,plain,jepoll-et,1,64,80449.3,11.72,2.185,2.184,93.1,0\n"
                + "http,plain,nginx,1,64,120000,8.5,,,96.2,0\n"
                + "http,plain,jepoll-et,2,64,77507,11.9,2.19,2.19,93.0,0\n"
                + "http,plain,nginx,2,64,1000,,,,40,server-died\n"
                + "http,plain,jepoll-et,3,64,88808,11.5,2.18,2.18,93.2,0\n"
                + "echo,ping64,netty,1,64,50000,20,,,80,3\n"
                + "echo,ping64,netty,2,64,40000,22,,,80,load-failed\n");

        String text = LoadRunSummary.text(LoadRunCharts.read(csv));

        assertThat(text).isEqualTo("""
                medians per benchmark, mode and server (rounds: without errors / all):
                  benchmark  mode    server       req/s  spread (min-max)  cpu us/req  syscalls/req  crossings/req  load cpu %  rounds
                  http       plain   jepoll-et   80,449  77,507-88,808          11.72         2.185          2.184        93.1  3/3
                  http       plain   nginx      120,000  120,000-120,000         8.50             -              -        96.2  1/2
                  echo       ping64  netty       45,000  40,000-50,000          21.00             -              -        80.0  0/2*
                  * every run had errors: its medians are of all its runs
                  load cpu % of 95 or more: the load generator, not the server, limited the rate
                  errors: http plain nginx round 2: server-died
                  errors: echo ping64 netty round 1: 3 errors
                  errors: echo ping64 netty round 2: load-failed
                """);
    }
}
