package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompareOptionsTest {

    @Test
    void theDefaultsAreCompareShs() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of());

        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.seconds()).isEqualTo(5);
        assertThat(options.warmup()).isEqualTo(3);
        assertThat(options.servers()).extracting(Server::label).containsExactly("jepoll-et", "jepoll-lt", "jepoll-nio",
                "jepoll-blocking", "netty", "nginx", "floor");
        assertThat(options.benchmarks()).containsExactly("http", "echo");
        assertThat(options.connections()).isEqualTo(64);
        assertThat(options.port()).isEqualTo(18080);
        assertThat(options.out()).isEqualTo(Path.of("benchmarks/results"));
        assertThat(options.baselineJar()).isEmpty();
    }

    @Test
    void valuesFollowTheirOptionOrAreJoinedWithEquals() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--rounds=1", "--seconds", "2", "--warmup", "0",
                "--servers", " netty  jepoll-nio ", "--benchmarks=echo", "--connections", "8", "--port", "20000",
                "--out", "/tmp/x"));

        assertThat(options.rounds()).isEqualTo(1);
        assertThat(options.seconds()).isEqualTo(2);
        assertThat(options.warmup()).isZero();
        assertThat(options.servers()).containsExactly(Server.NETTY, Server.JEPOLL_NIO);
        assertThat(options.benchmarks()).containsExactly("echo");
        assertThat(options.connections()).isEqualTo(8);
        assertThat(options.port()).isEqualTo(20000);
        assertThat(options.out()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void aBaselineJarAddsItsServersAfterTheSameTransportFromThisCheckout(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("before.jar"));

        CompareOptions byDefault = CompareOptions.parse(List.of("--baseline-jar", jar.toString()));
        CompareOptions chosen = CompareOptions.parse(List.of("--baseline-jar", jar.toString(), "--servers",
                "jepoll-et base-et jepoll-nio base-nio"));

        assertThat(byDefault.baselineJar()).contains(jar);
        assertThat(byDefault.servers()).extracting(Server::label).startsWith("jepoll-et", "base-et", "jepoll-lt",
                "base-lt", "jepoll-nio", "base-nio", "jepoll-blocking", "base-blocking").endsWith("floor");
        assertThat(chosen.servers()).containsExactly(Server.JEPOLL_ET, Server.BASE_ET, Server.JEPOLL_NIO,
                Server.BASE_NIO);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--rounds                 | --rounds needs a value",
        "--frobnicate             | unknown argument: --frobnicate (see --help)",
        "--install                | unknown argument: --install (see --help)",
        "--rounds 0               | --rounds must be a whole number >= 1: 0",
        "--rounds x               | --rounds must be a whole number >= 1: x",
        "--seconds 0              | --seconds must be a whole number >= 1: 0",
        "--warmup -1              | --warmup must be a whole number >= 0: -1",
        "--connections 0          | --connections must be >= 1: 0",
        "--port 80                | --port must be 1024..65535: 80",
        "--port 65536             | --port must be 1024..65535: 65536",
        "--servers apache         | unknown server 'apache' (known: jepoll-et jepoll-lt jepoll-nio jepoll-blocking"
                + " base-et base-lt base-nio base-blocking netty nginx floor)",
        "--servers base-et        | server 'base-et' runs the baseline jar: give --baseline-jar PATH",
        "--benchmarks grpc        | unknown benchmark 'grpc' (known: http echo static https)",
        "--baseline-jar /no/such.jar | --baseline-jar: no such file: /no/such.jar",
    })
    void aBadCommandLineIsRefusedWithCompareShsMessage(String arguments, String message) {
        assertThatThrownBy(() -> CompareOptions.parse(List.of(arguments.split(" "))))
                .isInstanceOf(UsageException.class).hasMessage(message);
    }
}
