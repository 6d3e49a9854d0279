package io.jepoll.cli;

import static io.jepoll.cli.CommandRuns.awaitPort;
import static io.jepoll.cli.CommandRuns.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --proxy-protocol} on {@code jepoll http} and {@code jepoll echo}: the header is read and
 * the rest served; {@code --access-log} writes a line per answered request, to standard output
 * or appended to a file, naming the client the header gave.
 */
@Timeout(60)
class ProxyProtocolCommandsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(PROXY protocol, ");
    private static final String HEADER = "PROXY TCP4 203.0.113.7 198.51.100.1 51234 443\r\n";

    /**
     * Sends {@code bytes} on a new connection and reads up to {@code length} bytes back, until the
     * server closes; a reset (a refused connection) reads as nothing.
     */
    private static String exchange(int port, String bytes, int length) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        } catch (SocketException reset) {
            return "";
        }
    }

    @Test
    void echoReadsTheHeaderAndEchoesWhatFollows() throws Exception {
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(out).execute("echo",
                "--port", "0", "--max-time", "2s", "--proxy-protocol"));
        int port = awaitPort(out, LISTENING);

        assertThat(exchange(port, HEADER + "Hello, echo", 11)).isEqualTo("Hello, echo");
        assertThat(exchange(port, "Hello, echo", 11)).as("no header: closed, nothing echoed").isEmpty();
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void httpLogsEachAnswerWithTheProxiedClientToStandardOutput() throws Exception {
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(out).execute("http",
                "--port", "0", "--max-time", "2s", "--proxy-protocol", "--access-log"));
        int port = awaitPort(out, LISTENING);

        String answer = exchange(port, HEADER + "GET / HTTP/1.0\r\n\r\n", 1000);
        assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nhello\n");
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).containsPattern(
                "(?m)^203\\.0\\.113\\.7 - - \\[[^]]+] \"GET / HTTP/1\\.0\" 200 6 \\d+ 127\\.0\\.0\\.1:\\d+$");
    }

    @Test
    void httpAppendsItsAccessLogToAFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, "an earlier line\n");
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(out).execute("http",
                "--port", "0", "--max-time", "2s", "--access-log", log.toString()));
        int port = awaitPort(out, Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)"));

        exchange(port, "GET /plaintext HTTP/1.0\r\n\r\n", 1000);
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(Files.readAllLines(log)).hasSize(2).first().isEqualTo("an earlier line");
        assertThat(Files.readAllLines(log).get(1)).matches(
                "127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /plaintext HTTP/1\\.0\" 200 13 \\d+ -");
        assertThat(out.toString()).doesNotContain("GET /plaintext");
    }
}
