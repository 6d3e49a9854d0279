package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final Jdk JDK17 = new Jdk(17, Path.of("/jdk17/bin/java"));
    private static final Jdk JDK25 = new Jdk(25, Path.of("/jdk25/bin/java"));

    @Test
    void echoLeavesOutTheHttpOnlyServersAndUnavailableOnesAreSkippedWithTheirReason() throws Exception {
        CompareOptions options = onJdks(List.of(JDK17), "--servers", "jepoll-et netty nginx floor echo-floor");

        Plan plan = Plan.of(options, Map.of("http nginx", "nginx is not installed", "echo jepoll-lt", "not asked for"));

        assertThat(plan.httpServers()).extracting(Contender::label)
                .containsExactly("jepoll-et@17/jna", "netty@17", "floor");
        assertThat(plan.echoServers()).extracting(Contender::label)
                .containsExactly("jepoll-et@17/jna", "netty@17", "echo-floor");
        assertThat(plan.skipped()).containsOnlyKeys("http nginx");
        assertThat(plan.describe()).containsExactly("# skipped: nginx (http): nginx is not installed",
                "# http servers: jepoll-et@17/jna netty@17 floor", "# echo servers: jepoll-et@17/jna netty@17 echo-floor");
        assertThat(plan.runs()).isEqualTo(3 * (3 * 2 + 3));
    }

    @Test
    void javaServersRunOnEveryJdkAndTheEpollOnesWithEveryBindingButFfmBefore22() throws Exception {
        CompareOptions options = onJdks(List.of(JDK17, JDK25), "--servers", "jepoll-et jepoll-nio netty floor",
                "--bindings", "jna ffm", "--benchmarks", "http", "--connections", "64 1000 10000", "--rounds", "5");

        Plan plan = Plan.of(options, Map.of());

        assertThat(plan.httpServers()).extracting(Contender::label).containsExactly("jepoll-et@17/jna",
                "jepoll-et@25/jna", "jepoll-et@25/ffm", "jepoll-nio@17", "jepoll-nio@25", "netty@17", "netty@25",
                "floor");
        assertThat(plan.httpServers().get(2).jdk()).contains(JDK25);
        assertThat(plan.httpServers().get(2).bindingLabel()).isEqualTo("ffm");
        assertThat(plan.httpServers().get(7).jdkLabel()).isEmpty();
        assertThat(plan.skipped()).containsExactly(Map.entry("http jepoll-et@17/ffm",
                "the FFM binding needs JDK 22+ (on JDK 17 the server falls back to JNA)"));
        assertThat(plan.runs()).as("8 servers x 2 modes x 3 counts x 5 rounds").isEqualTo(8 * 2 * 3 * 5);
    }

    @Test
    void staticRunsTheServersThatServeFilesInBothFileModes() throws Exception {
        CompareOptions options = onJdks(List.of(JDK17), "--servers", "jepoll-et netty nginx floor",
                "--benchmarks", "static", "--rounds", "2");

        Plan plan = Plan.of(options, Map.of());

        assertThat(plan.staticServers()).extracting(Contender::label).containsExactly("jepoll-et@17/jna", "nginx");
        assertThat(plan.httpServers()).isEmpty();
        assertThat(plan.echoServers()).isEmpty();
        assertThat(plan.describe()).contains("# static servers: jepoll-et@17/jna nginx");
        assertThat(plan.runs()).isEqualTo(2 * 2 * Plan.STATIC_MODES.size());
        assertThat(Plan.STATIC_MODES).allMatch(Plan.STATIC_PATHS::containsKey);
    }

    @Test
    void httpsRunsJepollAndNginxInEachTlsModeAndLeavesOutTheServersWithoutTls() throws Exception {
        CompareOptions options = onJdks(List.of(JDK17), "--servers", "jepoll-et netty nginx floor",
                "--benchmarks", "https", "--rounds", "3");

        Plan plan = Plan.of(options, Map.of());

        assertThat(plan.httpsServers()).extracting(Contender::label).containsExactly("jepoll-et@17/jna", "nginx");
        assertThat(plan.httpServers()).isEmpty();
        assertThat(plan.describe()).contains("# https servers: jepoll-et@17/jna nginx");
        assertThat(plan.runs()).isEqualTo(3 * 2 * Plan.HTTPS_MODES.size());
        assertThat(Plan.HTTPS_MODES).containsAll(Plan.HANDSHAKE_MODES);
    }

    @Test
    void theEstimateCountsEachRunsSecondsAndStartingItsJvms() throws Exception {
        CompareOptions options = onJdks(List.of(JDK17), "--servers", "jepoll-et floor echo-floor", "--rounds", "1",
                "--seconds", "2", "--warmup", "1");

        Plan plan = Plan.of(options, Map.of());

        // http: 2 modes x (3 s + 2) for the JVM, 2 x (3 s + 1) for the floor; echo: 3 s + 2, and 3 s + 1.
        assertThat(plan.estimatedSeconds()).isEqualTo(2 * 5 + 2 * 4 + 5 + 4);
        CompareOptions javaClient = onJdks(List.of(JDK17), "--servers", "jepoll-et", "--benchmarks", "echo",
                "--rounds", "1", "--seconds", "2", "--warmup", "1", "--echo-client", "java", "--connections", "64 1000");
        assertThat(Plan.of(javaClient, Map.of()).estimatedSeconds()).as("EchoLoad's JVM, at each count")
                .isEqualTo(2 * (3 + 2 + 2));
        assertThat(plan.nothingToRun()).isFalse();
        assertThat(Plan.of(CompareOptions.parse(List.of("--servers", "nginx floor", "--benchmarks", "echo")), Map.of())
                .nothingToRun()).isTrue();
    }

    /** The options of {@code arguments}, on the given JDKs (as if --jdks had found them). */
    static CompareOptions onJdks(List<Jdk> jdks, String... arguments) throws UsageException {
        CompareOptions o = CompareOptions.parse(List.of(arguments));
        return new CompareOptions(o.rounds(), o.seconds(), o.warmup(), o.servers(), o.benchmarks(), o.connections(),
                o.port(), o.out(), o.baselineJar(), jdks, o.bindings(), o.echoClient(), o.timeout());
    }
}
