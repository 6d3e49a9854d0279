package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.TestTls;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.SeededBytes;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Call;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What HTTPS adds to HTTP, on every transport: static files are read and encrypted (no
 * sendfile), sixteen pipelined requests in one record get sixteen answers in order, and plain
 * HTTP sent to the HTTPS port gets a 400 that says so, in plain text.
 */
@Timeout(60)
class TlsHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static HttpServer server(Transport transport, Path root) throws Exception {
        assumeAvailable(transport);
        return HttpServer.builder().transport(transport).builtInRoutes().staticFiles("/files", root)
                .tls(TestTls.server()).build().start();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStaticFileIsReadAndEncryptedWholeAndInRanges(Transport transport, @TempDir Path root) throws Exception {
        byte[] content = SeededBytes.array(21, 3 * 1024 * 1024 + 17);
        Files.write(root.resolve("big.bin"), content);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestTls.clientSslContext()).connectTimeout(TIMEOUT).build();
        try (HttpServer server = server(transport, root)) {
            URI uri = URI.create("https://localhost:" + server.port() + "/files/big.bin");

            var whole = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), BodyHandlers.ofByteArray());
            var range = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=1000000-1000099")
                    .timeout(TIMEOUT).build(), BodyHandlers.ofByteArray());

            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(content);
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 1_000_000, 1_000_100));
            LoopStats stats = server.stats();
            assertThat(stats.calls(Call.SENDFILE)).as("sendfile calls under TLS").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sixteenPipelinedRequestsInOneWriteGetSixteenAnswersInOrder(Transport transport, @TempDir Path root)
            throws Exception {
        try (HttpServer server = server(transport, root);
                SSLSocket socket = TlsEchoTest.connect(server.tcp(), "TLSv1.3")) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                requests.append(i % 2 == 0 ? "GET / HTTP/1.1\r\nHost: p\r\n\r\n" : "GET /plaintext HTTP/1.1\r\nHost: p\r\n\r\n");
            }
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String answers = readAnswers(socket.getInputStream(), 16);
            int at = 0;
            for (int i = 0; i < 16; i++) {
                String body = i % 2 == 0 ? "hello\n" : "Hello, World!";
                int found = answers.indexOf("\r\n\r\n" + body, at);
                assertThat(found).as("answer %d in order", i).isGreaterThanOrEqualTo(at);
                at = found + 4 + body.length();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void plainHttpToTheHttpsPortGetsA400InPlainTextAndAClose(Transport transport, @TempDir Path root) throws Exception {
        try (HttpServer server = server(transport, root); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n")
                    .endsWith("\r\n\r\nA plain HTTP request was sent to an HTTPS port\n");
            EchoClients.awaitTrue("the server closed it", () ->
                    server.stats().connectionsClosed() == server.stats().connectionsOpened());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFullHttpsServerAnswers503OverTls(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = HttpServer.builder().transport(transport).builtInRoutes().maxConnections(1)
                .tls(TestTls.server()).build().start();
                SSLSocket busy = TlsEchoTest.connect(server.tcp(), "TLSv1.3")) {
            busy.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswers(busy.getInputStream(), 1)).endsWith("hello\n");
            long readBefore = server.stats().bytesRead();
            busy.getOutputStream().write("GET /delay?ms=1500 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            EchoClients.awaitTrue("the slow request taken on", () -> server.stats().bytesRead() > readBefore);

            try (SSLSocket refused = TlsEchoTest.connect(server.tcp(), "TLSv1.3")) {
                refused.getOutputStream().write("GET / HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(refused.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

                assertThat(answer).startsWith("HTTP/1.1 503 ").contains("Connection: close\r\n");
            }
            assertThat(readAnswers(busy.getInputStream(), 1)).startsWith("HTTP/1.1 200 OK").endsWith("delayed 1500 ms\n");
        }
    }

    /** Reads until {@code count} answers with Content-Length bodies have arrived. */
    private static String readAnswers(InputStream in, int count) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (complete(read.toString(StandardCharsets.US_ASCII)) < count) {
            int n = in.read(buffer);
            assertThat(n).as("bytes before the end of the stream").isPositive();
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    private static int complete(String text) {
        int answers = 0;
        int at = 0;
        while (true) {
            int head = text.indexOf("\r\n\r\n", at);
            int length = text.indexOf("Content-Length: ", at);
            if (head < 0 || length < 0 || length > head) {
                return answers;
            }
            int end = head + 4 + Integer.parseInt(text.substring(length + 16, text.indexOf('\r', length)));
            if (end > text.length()) {
                return answers;
            }
            answers++;
            at = end;
        }
    }
}
