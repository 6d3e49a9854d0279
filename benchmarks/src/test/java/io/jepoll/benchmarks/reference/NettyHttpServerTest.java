package io.jepoll.benchmarks.reference;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NettyHttpServerTest {

    /** The answer to {@code GET /}, byte for byte what jepoll sends but for the name; group 1 is the date. */
    private static final Pattern HELLO = Pattern.compile("HTTP/1\\.1 200 OK\r\nServer: netty\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 6\r\nDate: ([^\r]*)\r\n\r\nhello\n");

    /** An IMF-fixdate is always 29 characters, so every answer to {@code GET /} has this length. */
    private static final int HELLO_LENGTH = 122;

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final String GET_ROOT = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private ReferenceServer server;

    @BeforeEach
    void start() throws IOException {
        server = NettyHttpServer.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @Timeout(10)
    void getRootAnswersHello() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("Date")).hasValueSatisfying(NettyHttpServerTest::assertCurrentDate);
    }

    @Test
    @Timeout(10)
    void answersSixteenPipelinedRequestsInOrderWithTheExactBytes() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(GET_ROOT.repeat(16).getBytes(US_ASCII));
            InputStream in = socket.getInputStream();
            String answers = new String(in.readNBytes(16 * HELLO_LENGTH), US_ASCII);

            Matcher matcher = HELLO.matcher(answers);
            for (int i = 0; i < 16; i++) {
                matcher.region(i * HELLO_LENGTH, (i + 1) * HELLO_LENGTH);
                assertThat(matcher.matches()).as("answer %d of:%n%s", i, answers).isTrue();
                assertCurrentDate(matcher.group(1));
            }
            socket.shutdownOutput();
            assertThat(in.read()).as("nothing after the 16 answers").isEqualTo(-1);
        }
    }

    @Test
    @Timeout(10)
    void unknownPathIsNotFoundWithAnEmptyBody() throws Exception {
        HttpResponse<String> response = get("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
    }

    @Test
    @Timeout(10)
    void garbageIsABadRequestAndTheConnectionCloses() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("this is not http\r\n\r\n".getBytes(US_ASCII));

            String answer = new String(socket.getInputStream().readAllBytes(), US_ASCII); // ends only at EOF
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("\r\nConnection: close\r\n")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    @Timeout(10)
    void connectionCloseIsAnsweredThenClosed() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(US_ASCII));

            String answer = new String(socket.getInputStream().readAllBytes(), US_ASCII); // ends only at EOF
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                    .endsWith("\r\n\r\nhello\n");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return client.send(request, BodyHandlers.ofString());
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(5000);
        return socket;
    }

    /** An IMF-fixdate (parsing it back gives the same text) within a few seconds of now. */
    private static void assertCurrentDate(String date) {
        Instant instant = IMF_FIXDATE.parse(date, Instant::from);
        assertThat(IMF_FIXDATE.format(instant)).isEqualTo(date);
        assertThat(Duration.between(instant, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
    }
}
