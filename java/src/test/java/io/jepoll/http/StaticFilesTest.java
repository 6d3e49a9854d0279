package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A static root on every transport, through the server: the bytes of small and large files,
 * validators and 304, ranges (206, 416), HEAD, directories, and every way out of the root
 * refused (400 or 404, never the file outside).
 */
@Timeout(60)
class StaticFilesTest {

    @TempDir
    static Path dir;
    private static Path root;
    private static byte[] large;
    private static RawHttp.Servers servers;

    @BeforeAll
    static void files() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(root.resolve("style.css"), "body { color: red }\n");
        large = SeededBytes.array(21, 6 * 1024 * 1024 + 5);
        Files.write(root.resolve("large.bin"), large);
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("docs/index.html"), "docs\n");
        Files.writeString(root.resolve(".env"), "SECRET=1\n");
        Files.writeString(dir.resolve("secret.txt"), "outside the root\n");
        Files.createSymbolicLink(root.resolve("out.txt"), dir.resolve("secret.txt"));
        servers = new RawHttp.Servers(transport -> RawHttp.builder(transport).staticFiles("/files", root));
    }

    @AfterAll
    static void closeServers() {
        servers.close();
    }

    private static RawHttp.Response get(Transport transport, String target, String... headers) throws IOException {
        try (RawHttp client = RawHttp.connect(servers.get(transport))) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "\r\n");
            return client.read();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void filesArriveWithTheirTypeAndValidatorsAndALargeOneByteForByte(Transport transport) throws Exception {
        RawHttp.Response css = get(transport, "/files/style.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.text()).isEqualTo("body { color: red }\n");
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.header("ETag")).startsWith("\"");
        assertThat(css.header("Last-Modified")).endsWith(" GMT");
        RawHttp.Response file = get(transport, "/files/large.bin");
        assertThat(file.header("Content-Length")).isEqualTo(String.valueOf(large.length));
        assertThat(Arrays.equals(file.body(), large)).as("6 MiB, byte for byte").isTrue();

        try (RawHttp client = RawHttp.connect(servers.get(transport))) {
            client.send("GET /files/style.css HTTP/1.1\r\nHost: x\r\n\r\nHEAD /files/large.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /files/index.html HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.FOLLOW_UP);
            assertThat(client.read().text()).isEqualTo("body { color: red }\n");
            assertThat(client.read(true).header("Content-Length")).as("HEAD: the length, no body")
                    .isEqualTo(String.valueOf(large.length));
            assertThat(client.read().text()).isEqualTo("<h1>home</h1>\n");
            assertThat(client.read().text()).as("pipelined after files").isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void conditionalAndRangeRequests(Transport transport) throws Exception {
        RawHttp.Response first = get(transport, "/files/style.css");
        String etag = first.header("ETag");
        assertThat(get(transport, "/files/style.css", "If-None-Match: " + etag + "\r\n").status()).isEqualTo(304);
        assertThat(get(transport, "/files/style.css", "If-None-Match: \"other\"\r\n").status()).isEqualTo(200);
        assertThat(get(transport, "/files/style.css", "If-Modified-Since: " + first.header("Last-Modified") + "\r\n")
                .status()).isEqualTo(304);

        RawHttp.Response part = get(transport, "/files/large.bin", "Range: bytes=1000-1999\r\n");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/" + large.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(large, 1000, 2000));
        RawHttp.Response tail = get(transport, "/files/large.bin", "Range: bytes=-10\r\n");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(large, large.length - 10, large.length));
        RawHttp.Response beyond = get(transport, "/files/large.bin", "Range: bytes=" + large.length + "-\r\n");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + large.length);
        assertThat(get(transport, "/files/large.bin", "Range: bytes=0-0\r\n", "If-Range: \"stale\"\r\n").status())
                .as("If-Range that does not match: the whole file").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void directoriesAndEveryWayOutOfTheRoot(Transport transport) throws Exception {
        assertThat(get(transport, "/files/docs/").text()).isEqualTo("docs\n");
        RawHttp.Response redirect = get(transport, "/files/docs?x=1");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/files/docs/?x=1");
        assertThat(get(transport, "/files/empty/").status()).as("a directory without index.html").isEqualTo(403);
        assertThat(get(transport, "/files/").text()).isEqualTo("<h1>home</h1>\n");
        for (String escape : new String[] {"/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/docs/..%2f..%2fsecret.txt",
                "/files/%2E%2E/%2E%2E/secret.txt", "/files/index.html%00.css"}) {
            RawHttp.Response refused = get(transport, escape);
            assertThat(refused.status()).as(escape).isIn(400, 404);
            assertThat(refused.text()).as(escape).doesNotContain("outside the root");
        }
        assertThat(get(transport, "/files/out.txt").status()).as("a symbolic link out of the root").isEqualTo(404);
        assertThat(get(transport, "/files/.env").status()).as("a hidden file").isEqualTo(404);
        assertThat(get(transport, "/files/missing.txt").status()).isEqualTo(404);
    }
}
