package io.jepoll.cli;

import static io.jepoll.cli.CommandRuns.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code jepoll echo --unix}, {@code jepoll http --unix} and {@code jepoll echo-client --unix} as a user runs them. */
@Timeout(60)
class UnixSocketCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL_ET", "NIO"})
    void anEchoServerOnASocketFileAnswersTheClientAndRemovesItsFile(Transport transport) throws Exception {
        Path socket = dir.resolve("echo.sock");
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut)
                .execute("echo", "--unix", socket.toString(), "--unix-mode", "660", "--transport", transport.shortName(),
                        "--max-time", "3s"));
        awaitListening(serverOut, "jepoll echo listening on unix:" + socket + " (transport " + transport.shortName());
        assertThat(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));

        StringWriter out = new StringWriter();
        assertThat(command(out).execute("echo-client", "--unix", socket.toString(), "--message", "Hello, socket file"))
                .isZero();
        assertThat(out.toString()).isEqualTo("Hello, socket file" + System.lineSeparator());
        StringWriter load = new StringWriter();
        assertThat(command(load).execute("echo-client", "--unix", socket.toString(), "--connections", "4",
                "--bytes", "200000")).isZero();
        assertThat(load.toString()).contains("4 connections x 200000 bytes echoed exactly in");

        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("the socket file after the server stopped").isFalse();
    }

    @Test
    void anHttpServerOnASocketFileAnswers() throws Exception {
        Path socket = dir.resolve("http.sock");
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut)
                .execute("http", "--unix", socket.toString(), "--loops", "2", "--max-time", "3s"));
        awaitListening(serverOut, "jepoll http listening on unix:" + socket);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            client.write(StandardCharsets.US_ASCII.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            StringBuilder answer = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (client.read(buffer.clear()) >= 0) {
                answer.append(StandardCharsets.ISO_8859_1.decode(buffer.flip()));
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello\n");
        }
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aClientWithNoServerOnThePathSaysWhyAndFails() {
        StringWriter err = new StringWriter();
        picocli.CommandLine client = command(new StringWriter());
        client.setErr(new java.io.PrintWriter(err, true));
        assertThat(client.execute("echo-client", "--unix", dir.resolve("none.sock").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("echo-client: ").contains("none.sock");
    }

    private static void awaitListening(StringWriter serverOut, String line) throws InterruptedException {
        for (int i = 0; i < 400 && !serverOut.toString().contains(line); i++) {
            Thread.sleep(25);
        }
        assertThat(serverOut.toString()).as("what the server said").contains(line);
    }
}
