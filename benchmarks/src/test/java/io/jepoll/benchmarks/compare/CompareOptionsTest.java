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
                "jepoll-blocking", "netty", "nginx", "floor", "echo-floor");
        assertThat(options.benchmarks()).containsExactly("http", "echo");
        assertThat(options.connections()).containsExactly(64);
        assertThat(options.jdks()).containsExactly(Jdk.current());
        assertThat(options.bindings()).containsExactly("jna");
        assertThat(options.echoClient()).isEqualTo("c");
        assertThat(options.timeout()).isEqualTo(5);
        assertThat(options.port()).isEqualTo(18080);
        assertThat(options.out()).isEqualTo(Path.of("benchmarks/results"));
        assertThat(options.baselineJar()).isEmpty();
    }

    @Test
    void valuesFollowTheirOptionOrAreJoinedWithEquals() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--rounds=1", "--seconds", "2", "--warmup", "0",
                "--servers", " netty  jepoll-nio ", "--benchmarks=echo", "--connections", "8", "--port", "20000",
                "--out", "/tmp/x", "--echo-client", "java", "--timeout=10"));

        assertThat(options.rounds()).isEqualTo(1);
        assertThat(options.seconds()).isEqualTo(2);
        assertThat(options.warmup()).isZero();
        assertThat(options.servers()).containsExactly(Server.NETTY, Server.JEPOLL_NIO);
        assertThat(options.benchmarks()).containsExactly("echo");
        assertThat(options.connections()).containsExactly(8);
        assertThat(options.port()).isEqualTo(20000);
        assertThat(options.out()).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.echoClient()).isEqualTo("java");
        assertThat(options.timeout()).isEqualTo(10);
    }

    @Test
    void connectionCountsAndBindingsAreListsInTheOrderGiven() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--connections", " 1000 64  10000", "--bindings",
                "ffm jna"));

        assertThat(options.connections()).containsExactly(1000, 64, 10000);
        assertThat(options.mostConnections()).isEqualTo(10000);
        assertThat(options.bindings()).containsExactly("ffm", "jna");
    }

    @Test
    void aJdkIsAFeatureReleaseFoundOnThePathOrInstalledOrAPath(@TempDir Path installed) throws Exception {
        Path java25 = fakeJdk(installed.resolve("temurin-25-jdk-amd64"), "25.0.3");
        Path java99 = fakeJdk(installed.resolve("elsewhere/jdk-99"), "99.0.1");
        int running = Runtime.version().feature();

        CompareOptions options = CompareOptions.parse(List.of("--jdks", running + " 25 " + java99), installed);
        CompareOptions byHome = CompareOptions.parse(List.of("--jdks", installed.resolve("elsewhere/jdk-99")
                .toString()), installed);

        assertThat(options.jdks()).containsExactly(Jdk.current(), new Jdk(25, java25), new Jdk(99, java99));
        assertThat(options.jdks()).extracting(Jdk::label).containsExactly(String.valueOf(running), "25", "99");
        assertThat(byHome.jdks()).containsExactly(new Jdk(99, java99));
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--jdks", "98"), installed))
                .isInstanceOf(UsageException.class).hasMessage("--jdks: no JDK 98 here (the java on the PATH is "
                        + running + "; none under " + installed + "): give its path");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--jdks", "25 " + java25), installed))
                .hasMessage("--jdks: two JDKs 25 would have the same label");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--jdks", installed.resolve("nothing").toString()),
                installed)).hasMessageContaining("is neither a feature release (17, 25) nor a java executable");
    }

    /** A JDK's home as the options read it: an executable bin/java and the release file beside it. */
    static Path fakeJdk(Path home, String version) throws Exception {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return java;
    }

    @Test
    void aBaselineJarAddsItsServersAfterTheSameTransportFromThisCheckout(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("before.jar"));

        CompareOptions byDefault = CompareOptions.parse(List.of("--baseline-jar", jar.toString()));
        CompareOptions chosen = CompareOptions.parse(List.of("--baseline-jar", jar.toString(), "--servers",
                "jepoll-et base-et jepoll-nio base-nio"));

        assertThat(byDefault.baselineJar()).contains(jar);
        assertThat(byDefault.servers()).extracting(Server::label).startsWith("jepoll-et", "base-et", "jepoll-lt",
                "base-lt", "jepoll-nio", "base-nio", "jepoll-blocking", "base-blocking").endsWith("floor", "echo-floor");
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
        "--connections 0          | --connections must be whole numbers 1..1000000: 0",
        "--connections 64,1000    | --connections must be whole numbers 1..1000000: 64,1000",
        "--bindings jni           | unknown binding 'jni' (known: jna ffm)",
        "--echo-client rust       | --echo-client must be c or java: rust",
        "--timeout 0              | --timeout must be 1..3600 seconds: 0",
        "--port 80                | --port must be 1024..65535: 80",
        "--port 65536             | --port must be 1024..65535: 65536",
        "--servers apache         | unknown server 'apache' (known: jepoll-et jepoll-lt jepoll-nio jepoll-blocking"
                + " base-et base-lt base-nio base-blocking netty nginx floor echo-floor)",
        "--servers base-et        | server 'base-et' runs the baseline jar: give --baseline-jar PATH",
        "--benchmarks grpc        | unknown benchmark 'grpc' (known: http echo static https)",
        "--baseline-jar /no/such.jar | --baseline-jar: no such file: /no/such.jar",
    })
    void aBadCommandLineIsRefusedWithCompareShsMessage(String arguments, String message) {
        assertThatThrownBy(() -> CompareOptions.parse(List.of(arguments.split(" "))))
                .isInstanceOf(UsageException.class).hasMessage(message);
    }
}
