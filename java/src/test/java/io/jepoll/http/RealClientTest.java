package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.TestTls;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real clients against the server, over plain TCP and over TLS: the JDK's HttpClient (HTTP/1.1) and curl. */
@Timeout(60)
class RealClientTest {

    private static final Duration TIMEOUT = RawHttp.TIMEOUT;
    /** IMF-fixdate, RFC 9110 section 5.6.7: two-digit day, GMT. */
    private static final String IMF_FIXDATE =
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4}"
                    + " \\d{2}:\\d{2}:\\d{2} GMT";

    private static final RawHttp.Servers PLAIN = new RawHttp.Servers(RealClientTest::builder);
    private static final RawHttp.Servers TLS = new RawHttp.Servers(transport -> builder(transport).tls(TestTls.server()));

    private static HttpServer.Builder builder(Transport transport) {
        return RawHttp.builder(transport)
                .route("GET", "/hi", request -> HttpResponse.text("hi " + request.query() + "\n")
                        .withHeader("X-Route", "user"))
                .route("GET", "/tls", request -> HttpResponse.text(request.tlsSession() == null ? "none\n"
                        : request.tlsSession().getProtocol() + " " + request.tlsSession().getCipherSuite() + "\n"));
    }

    @AfterAll
    static void closeServers() {
        PLAIN.close();
        TLS.close();
    }

    private static HttpServer server(Transport transport, boolean tls) throws Exception {
        return (tls ? TLS : PLAIN).get(transport);
    }

    private static HttpClient client(boolean tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT);
        return (tls ? builder.sslContext(TestTls.clientSslContext()) : builder).build();
    }

    /** The server's address for a client: https names localhost, which the test certificate is for. */
    private static String base(HttpServer server, boolean tls) {
        return tls ? "https://localhost:" + server.port() : "http://127.0.0.1:" + server.port();
    }

    private static java.net.http.HttpRequest.Builder request(HttpServer server, boolean tls, String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create(base(server, tls) + path)).timeout(TIMEOUT);
    }

    private static void assertCommonHeaders(java.net.http.HttpResponse<?> response, String type, long length) {
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(type);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(length);
        assertThat(response.headers().firstValue("Server")).hasValue("jepoll");
        String date = response.headers().firstValue("Date").orElseThrow();
        assertThat(date).as("Date header").matches(IMF_FIXDATE);
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(parsed, ZonedDateTime.now()).abs()).as("Date is the current time")
                .isLessThan(Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void httpClientGetsTheBuiltInAndUserRoutes(Transport transport, boolean tls) throws Exception {
        HttpServer server = server(transport, tls);
        HttpClient client = client(tls);

        var hello = client.send(request(server, tls, "/").build(), BodyHandlers.ofString());
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello\n");
        assertCommonHeaders(hello, "text/plain", 6);

        var plaintext = client.send(request(server, tls, "/plaintext").build(), BodyHandlers.ofString());
        assertThat(plaintext.statusCode()).isEqualTo(200);
        assertThat(plaintext.body()).isEqualTo("Hello, World!");
        assertCommonHeaders(plaintext, "text/plain", 13);

        byte[] payload = new byte[256 * 1024];
        new Random(42).nextBytes(payload);
        var echo = client.send(request(server, tls, "/echo").header("Content-Type", "application/x-test")
                .POST(BodyPublishers.ofByteArray(payload)).build(), BodyHandlers.ofByteArray());
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo(payload);
        assertCommonHeaders(echo, "application/x-test", payload.length);

        var session = client.send(request(server, tls, "/tls").build(), BodyHandlers.ofString());
        assertThat(session.body()).as("the TLS session the handler sees").matches(tls ? "TLSv1\\.3 TLS_\\w+\n" : "none\n");

        var hi = client.send(request(server, tls, "/hi?name=jepoll").build(), BodyHandlers.ofString());
        assertThat(hi.statusCode()).isEqualTo(200);
        assertThat(hi.body()).isEqualTo("hi name=jepoll\n");
        assertThat(hi.headers().firstValue("X-Route")).hasValue("user");
        assertCommonHeaders(hi, "text/plain; charset=utf-8", hi.body().length());

        var head = client.send(request(server, tls, "/plaintext").method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertCommonHeaders(head, "text/plain", 13);

        var missing = client.send(request(server, tls, "/missing").build(), BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        var wrongMethod = client.send(request(server, tls, "/hi").DELETE().build(), BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    /** A body of unknown length goes chunked; Expect: 100-continue makes the client wait for 100. */
    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void httpClientChunkedAndExpectContinueBodiesAreEchoed(Transport transport, boolean tls) throws Exception {
        HttpServer server = server(transport, tls);
        HttpClient client = client(tls);
        byte[] payload = new byte[100_000];
        new Random(7).nextBytes(payload);

        var chunked = client.send(request(server, tls, "/echo")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))).build(),
                BodyHandlers.ofByteArray());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(payload);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/octet-stream");

        var expecting = client.send(request(server, tls, "/echo").expectContinue(true)
                .POST(BodyPublishers.ofByteArray(payload)).build(), BodyHandlers.ofByteArray());
        assertThat(expecting.statusCode()).isEqualTo(200);
        assertThat(expecting.body()).isEqualTo(payload);
    }

    /** The default body limit is 8 MiB: a body of exactly that is echoed whole. */
    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void httpClientEchoesABodyOfExactlyTheDefaultLimit(Transport transport, boolean tls) throws Exception {
        HttpServer server = server(transport, tls);
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(8).nextBytes(payload);
        var echo = client(tls).send(request(server, tls, "/echo").POST(BodyPublishers.ofByteArray(payload)).build(),
                BodyHandlers.ofByteArray());
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.headers().firstValueAsLong("Content-Length")).hasValue(payload.length);
        assertThat(echo.body()).isEqualTo(payload);
    }

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void keepAliveReusesOneConnection(Transport transport, boolean tls) throws Exception {
        HttpServer server = server(transport, tls);
        HttpClient client = client(tls);
        LoopStats before = server.stats();
        for (int i = 0; i < 20; i++) {
            var response = client.send(request(server, tls, i % 2 == 0 ? "/" : "/plaintext").build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
        }
        RawHttp.awaitTrue("the loop's counters to show the connection",
                () -> server.stats().minus(before).connectionsOpened() >= 1);
        assertThat(server.stats().minus(before).connectionsOpened()).as("connections for 20 requests").isEqualTo(1);
    }

    // ---------------------------------------------------------------- curl

    private static String curl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "curl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
            return "/usr/bin/curl";
        }
        Assumptions.abort("curl is not installed");
        return null;
    }

    private record Run(int exit, byte[] out, String err) {
    }

    /** Runs curl; over TLS it trusts the test certificate and nothing else. */
    private static Run run(Path dir, boolean tls, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(curl());
        command.addAll(List.of("--silent", "--show-error", "--verbose", "--max-time", "10", "--noproxy", "*"));
        if (tls) {
            command.addAll(List.of("--cacert", TestTls.certificate().toString()));
        }
        command.addAll(List.of(args));
        Path out = dir.resolve("curl.out");
        Path err = dir.resolve("curl.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within 20 s: " + command);
        }
        return new Run(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void curlGetsHelloAndEchoesAFile(Transport transport, boolean tls, @TempDir Path dir) throws Exception {
        HttpServer server = server(transport, tls);
        String base = base(server, tls);

        Run hello = run(dir, tls, base + "/");
        assertThat(hello.exit()).as("curl exit; stderr:%n%s", hello.err()).isZero();
        assertThat(new String(hello.out(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        assertThat(hello.err()).contains("< HTTP/1.1 200 OK").contains("< Server: jepoll");
        if (tls) {
            assertThat(hello.err()).as("curl's account of the handshake").containsPattern("SSL connection using TLSv1\\.3")
                    .contains("ALPN: server accepted http/1.1");
        }

        byte[] fileBytes = new byte[300_000];
        new Random(3).nextBytes(fileBytes);
        Path file = dir.resolve("upload.bin");
        Files.write(file, fileBytes);
        Run echo = run(dir, tls, "-X", "POST", "-H", "Content-Type: application/x-upload", "--data-binary", "@" + file,
                base + "/echo");
        assertThat(echo.exit()).as("curl exit; stderr:%n%s", echo.err()).isZero();
        assertThat(echo.out()).isEqualTo(fileBytes);
        assertThat(echo.err()).contains("< Content-Type: application/x-upload");
    }

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void curlHttp10GetsAnAnswerAndTheConnectionCloses(Transport transport, boolean tls, @TempDir Path dir) throws Exception {
        HttpServer server = server(transport, tls);
        LoopStats before = server.stats();
        Run run = run(dir, tls, "--http1.0", base(server, tls) + "/plaintext");
        assertThat(run.exit()).as("curl exit; stderr:%n%s", run.err()).isZero();
        assertThat(new String(run.out(), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!");
        assertThat(run.err()).contains("> GET /plaintext HTTP/1.0").contains("< Connection: close")
                .doesNotContain("left intact");
        RawHttp.awaitTrue("the server to close the HTTP/1.0 connection",
                () -> server.stats().minus(before).connectionsClosed() >= 1);
    }
}
