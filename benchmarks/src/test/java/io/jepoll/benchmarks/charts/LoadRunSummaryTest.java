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
                medians per benchmark, mode, connections and server (x floor: cpu per request over the C floor's; rounds: without errors / all):
                  benchmark  mode    conns  server       req/s  spread (min-max)  cpu us/req  x floor  syscalls/req  crossings/req  p99 us  load cpu %  rounds
                  http       plain      64  jepoll-et   80,449  77,507-88,808          11.72        -         2.185          2.184       -        93.1  3/3
                  http       plain      64  nginx      120,000  120,000-120,000         8.50        -             -              -       -        96.2  1/2
                  echo       ping64     64  netty       45,000  40,000-50,000          21.00        -             -              -       -        80.0  0/2*
                  * every run had errors: its medians are of all its runs
                  load cpu % of 95 or more: the load generator, not the server, limited the rate
                  errors: http plain 64 connections nginx round 2: server-died
                  errors: echo ping64 64 connections netty round 1: 3 errors
                  errors: echo ping64 64 connections netty round 2: load-failed
                """);
    }

    @Test
    @Timeout(10)
    void theTableSetsEachServersCpuAgainstItsFloorsAtTheSameCountAndShowsP99AndSocketErrors() throws Exception {
        Path csv = Files.writeString(dir.resolve("compare.csv"), LoadRunChartsTest.NEW_HEADER
                + "http,plain,jepoll-et@17/jna,1,1000,80000,12.5,2.1,2.1,93,0,17,jna,900,2500,5,0,0,0,0\n"
                + "http,plain,floor,1,1000,90000,10,,,93,0,,,800,2000,5,0,0,0,0\n"
                + "http,plain,jepoll-et@17/jna,1,64,80000,9,2.1,2.1,93,0,17,jna,700,1500,5,0,0,0,0\n"
                + "http,plain,floor,1,64,90000,6,,,93,7,,,600,1000,5,1,0,0,6\n"
                + "echo,ping64,netty@25,1,64,50000,16,,,40,0,25,,500,900,,,,,\n"
                + "echo,ping64,echo-floor,1,64,60000,8,,,40,0,,,400,700,,,,,\n");

        String text = LoadRunSummary.text(LoadRunCharts.read(csv));

        assertThat(text).containsPattern("http\\s+plain\\s+1000\\s+jepoll-et@17/jna\\s+80,000\\s+80,000-80,000"
                        + "\\s+12.50\\s+1.25\\s+2.100\\s+2.100\\s+2,500\\s+93.0\\s+1/1")
                .containsPattern("http\\s+plain\\s+64\\s+jepoll-et@17/jna.*\\s+9.00\\s+1.50\\s")
                .as("all of the floor's runs had errors: its medians are of those").containsPattern("http\\s+plain"
                        + "\\s+64\\s+floor.*\\s+6.00\\s+1.00\\s.*0/1\\*")
                .containsPattern("echo\\s+ping64\\s+64\\s+netty@25.*\\s+16.00\\s+2.00\\s+-\\s+-\\s+900\\s")
                .contains("  errors: http plain 64 connections floor round 1: 7 errors (socket errors: connect 1,"
                        + " timeout 6)\n");
    }
}
