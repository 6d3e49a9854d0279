package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void echoLeavesOutTheHttpOnlyServersAndUnavailableOnesAreSkippedWithTheirReason() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--servers", "jepoll-et netty nginx floor"));

        Plan plan = Plan.of(options, Map.of("http nginx", "nginx is not installed", "echo jepoll-lt", "not asked for"));

        assertThat(plan.httpServers()).containsExactly(Server.JEPOLL_ET, Server.NETTY, Server.FLOOR);
        assertThat(plan.echoServers()).containsExactly(Server.JEPOLL_ET, Server.NETTY);
        assertThat(plan.skipped()).containsOnlyKeys("http nginx");
        assertThat(plan.describe()).containsExactly("# skipped: nginx (http): nginx is not installed",
                "# http servers: jepoll-et netty floor", "# echo servers: jepoll-et netty");
        assertThat(plan.runs()).isEqualTo(3 * (3 * 2 + 2));
    }

    @Test
    void staticRunsTheServersThatServeFilesInBothFileModes() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--servers", "jepoll-et netty nginx floor",
                "--benchmarks", "static", "--rounds", "2"));

        Plan plan = Plan.of(options, Map.of());

        assertThat(plan.staticServers()).containsExactly(Server.JEPOLL_ET, Server.NGINX);
        assertThat(plan.httpServers()).isEmpty();
        assertThat(plan.echoServers()).isEmpty();
        assertThat(plan.describe()).contains("# static servers: jepoll-et nginx");
        assertThat(plan.runs()).isEqualTo(2 * 2 * Plan.STATIC_MODES.size());
        assertThat(Plan.STATIC_MODES).allMatch(Plan.STATIC_PATHS::containsKey);
    }

    @Test
    void httpsRunsJepollAndNginxInEachTlsModeAndLeavesOutTheServersWithoutTls() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--servers", "jepoll-et netty nginx floor",
                "--benchmarks", "https", "--rounds", "3"));

        Plan plan = Plan.of(options, Map.of());

        assertThat(plan.httpsServers()).containsExactly(Server.JEPOLL_ET, Server.NGINX);
        assertThat(plan.httpServers()).isEmpty();
        assertThat(plan.describe()).contains("# https servers: jepoll-et nginx");
        assertThat(plan.runs()).isEqualTo(3 * 2 * Plan.HTTPS_MODES.size());
        assertThat(Plan.HTTPS_MODES).containsAll(Plan.HANDSHAKE_MODES);
    }

    @Test
    void theEstimateCountsEachRunsSecondsAndStartingItsJvms() throws Exception {
        CompareOptions options = CompareOptions.parse(List.of("--servers", "jepoll-et floor", "--rounds", "1",
                "--seconds", "2", "--warmup", "1"));

        Plan plan = Plan.of(options, Map.of());

        // http: 2 modes x (3 s + 2) for the JVM, 2 x (3 s + 1) for the floor; echo: 3 s + 2 + EchoLoad's 2.
        assertThat(plan.estimatedSeconds()).isEqualTo(2 * 5 + 2 * 4 + 7);
        assertThat(plan.nothingToRun()).isFalse();
        assertThat(Plan.of(CompareOptions.parse(List.of("--servers", "nginx", "--benchmarks", "echo")), Map.of())
                .nothingToRun()).isTrue();
    }
}
