package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SupervisedTest {

    @TempDir
    Path dir;

    @Test
    void aServerIsReadyOnceItSaysListeningAndSigtermStopsItAndWhatItStarted() throws Exception {
        // The background sleep would outlive its shell: SIGTERM reaches the shell only.
        Supervised server = start("sleep 30 & echo listening; wait");
        server.awaitLine("listening", Duration.ofSeconds(10));
        List<ProcessHandle> descendants = server.handle().descendants().toList();
        assertThat(descendants).isNotEmpty();

        assertThat(server.stop(Duration.ofSeconds(5))).isTrue();

        assertThat(server.process().isAlive()).isFalse();
        assertThat(descendants).noneMatch(Supervised::isRunning);
    }

    @Test
    void aServerThatIgnoresSigtermIsKilledWithEverythingItStarted() throws Exception {
        Supervised server = start("trap '' TERM; sleep 30 & echo listening; wait");
        server.awaitLine("listening", Duration.ofSeconds(10));
        List<ProcessHandle> descendants = server.handle().descendants().toList();

        assertThat(server.stop(Duration.ofMillis(300))).isFalse();

        assertThat(server.process().isAlive()).isFalse();
        assertThat(descendants).isNotEmpty().noneMatch(Supervised::isRunning);
    }

    @Test
    void aServerThatExitsBeforeItIsReadyFailsItsStartWithItsOutput() throws Exception {
        Supervised server = start("echo 'cannot bind: address in use'; exit 3");

        assertThatThrownBy(() -> server.awaitLine("listening", Duration.ofSeconds(10)))
                .isInstanceOf(Supervised.StartException.class)
                .hasMessageContaining("exited (status 3) before it was ready")
                .hasMessageContaining("cannot bind: address in use");
    }

    @Test
    void aServerThatNeverSaysListeningFailsItsStartAfterTheBound() throws Exception {
        Supervised server = start("echo starting; sleep 30");
        try {
            assertThatThrownBy(() -> server.awaitLine("listening", Duration.ofMillis(300)))
                    .isInstanceOf(Supervised.StartException.class)
                    .hasMessageContaining("printed no 'listening' within").hasMessageContaining("starting");
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(server.process().isAlive()).isFalse();
    }

    @Test
    void aServerThatSaysNothingIsReadyOnceItsPortListens() throws Exception {
        Supervised server = start("sleep 30");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.awaitListener(listener.getLocalPort(), Duration.ofSeconds(5));
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void waitingForAnExitIsBoundedAndGivesTheStatus() throws Exception {
        Supervised quick = start("exit 4");
        Supervised slow = start("sleep 30");
        try {
            assertThat(quick.waitFor(Duration.ofSeconds(10))).hasValue(4);
            assertThat(slow.waitFor(Duration.ofMillis(100))).isEmpty();
        } finally {
            slow.stop(Duration.ofSeconds(5));
        }
        assertThat(quick.logTail(2)).isEmpty();
    }

    private Supervised start(String script) throws Exception {
        return Supervised.start("test", List.of("sh", "-c", script), dir.resolve("log-" + System.nanoTime()));
    }
}
