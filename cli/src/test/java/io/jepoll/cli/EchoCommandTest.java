package io.jepoll.cli;

import static io.jepoll.cli.CommandRuns.awaitPort;
import static io.jepoll.cli.CommandRuns.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.loop.Transport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** {@code jepoll echo} and {@code jepoll echo-client} as a user runs them. */
@Timeout(60)
class EchoCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theClientGetsItsMessageBackAndALoadIsCheckedByteForByte(Transport transport) throws Exception {
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut)
                .execute("echo", "--port", "0", "--transport", transport.shortName(), "--loops", "2",
                        "--stats", "--stats-interval", "200ms", "--max-time", "3s"));
        int port = awaitPort(serverOut, LISTENING);

        StringWriter out = new StringWriter();
        assertThat(command(out).execute("echo-client", "--port", String.valueOf(port), "--message", "Hello, echo"))
                .isZero();
        assertThat(out.toString()).isEqualTo("Hello, echo" + System.lineSeparator());

        StringWriter load = new StringWriter();
        assertThat(command(load).execute("echo-client", "--port", String.valueOf(port), "--connections", "8",
                "--bytes", "300000")).isZero();
        assertThat(load.toString()).contains("8 connections x 300000 bytes echoed exactly in");

        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(serverOut.toString()).contains("bytes in").contains("stopped after PT3S; totals: connections +9 -9")
                .contains("bytes in " + (11 + 8 * 300000) + " out " + (11 + 8 * 300000))
                .containsPattern("\ntotals-kv: syscalls=\\d+ crossings=\\d+ wake_ups=\\d+ events=\\d+ bytes_read="
                        + (11 + 8 * 300000) + " bytes_written=" + (11 + 8 * 300000)
                        + " connections_opened=9 connections_closed=9 wait=\\d+ ctl=\\d+ accept=\\d+ read=\\d+"
                        + " write=\\d+ writev=\\d+ sendfile=0 connect=\\d+ shutdown=\\d+ close=\\d+ wakeup_read=\\d+ other=\\d+"
                        + " binding=" + (transport.isNative() ? "jna" : "jdk") + "\n");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL_ET", "NIO"})
    void aClientWithNoServerSaysWhyAndFails(Transport transport) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine client = command(new StringWriter());
        client.setErr(new PrintWriter(err, true));
        assertThat(client.execute("echo-client", "--port", String.valueOf(closedPort), "--transport",
                transport.shortName())).isEqualTo(1);
        assertThat(err.toString()).startsWith("echo-client: ").containsIgnoringCase("refused");
    }

    /**
     * A server whose accept queue is full drops SYNs, so the connect never completes: the user
     * is told it was the connect that timed out, and where to.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectThatNeverCompletesIsReportedAsATimedOutConnect(Transport transport) throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assumeTrue(transport.isAvailable(), transport + " is not available here");
            assumeTrue(fillAcceptQueue(neverAccepts, queued), "the kernel did not drop SYNs to a full accept queue");
            String port = String.valueOf(neverAccepts.getLocalPort());

            StringWriter err = new StringWriter();
            CommandLine client = command(new StringWriter());
            client.setErr(new PrintWriter(err, true));
            assertThat(client.execute("echo-client", "--port", port, "--transport", transport.shortName(),
                    "--timeout", "1s")).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("echo-client: connect to 127.0.0.1:" + port + " timed out after 1s"
                    + System.lineSeparator());

            StringWriter loadErr = new StringWriter();
            CommandLine load = command(new StringWriter());
            load.setErr(new PrintWriter(loadErr, true));
            assertThat(load.execute("echo-client", "--port", port, "--transport", transport.shortName(),
                    "--connections", "3", "--bytes", "10", "--timeout", "500ms")).isEqualTo(1);
            assertThat(loadErr.toString()).isEqualTo("echo-client: connect to 127.0.0.1:" + port
                    + " timed out after 500ms (0 of 3 connections made)" + System.lineSeparator());
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    /** Connects until a connect times out: the listener's accept queue is then full. */
    private static boolean fillAcceptQueue(ServerSocket listener, List<Socket> queued) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(listener.getLocalSocketAddress(), 300);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return true;
            }
        }
        return false;
    }
}
