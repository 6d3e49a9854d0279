package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jepoll.http.StaticPaths.Found;
import io.jepoll.http.StaticPaths.Redirect;
import io.jepoll.http.StaticPaths.Refused;
import io.jepoll.http.StaticPaths.Resolution;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/**
 * Request paths against a root that holds files, directories with and without an index, hidden
 * files, links inside and out of it, and a socket; next to it a secret directory and a sibling
 * whose name starts with the root's.
 */
@Timeout(30)
class StaticPathsTest {

    private static final Instant MODIFIED = Instant.parse("2026-11-29T19:55:00.123456789Z");

    @TempDir
    static Path base;
    private static Path www;
    private static StaticPaths paths;

    @BeforeAll
    static void makeTheTree() throws IOException {
        www = Files.createDirectory(base.resolve("www"));
        Path secret = Files.createDirectory(base.resolve("secret"));
        write(secret.resolve("secret.txt"), "secret");
        write(Files.createDirectory(base.resolve("www2")).resolve("secret.txt"), "secret");
        write(www.resolve("index.html"), "<p>home</p>");
        Files.setLastModifiedTime(write(www.resolve("a.txt"), "0123456789"), FileTime.from(MODIFIED));
        write(www.resolve("with space.txt"), "s");
        write(www.resolve("100%.txt"), "p");
        write(www.resolve("a+b.txt"), "+");
        write(Files.createDirectories(www.resolve("docs")).resolve("guide.txt"), "guide");
        write(Files.createDirectories(www.resolve("blog")).resolve("index.html"), "<p>blog</p>");
        Files.createDirectories(www.resolve("my dir"));
        Files.createDirectories(www.resolve("index-is-a-directory/index.html"));
        Files.createSymbolicLink(Files.createDirectories(www.resolve("index-links-out")).resolve("index.html"),
                Paths.get("../../secret/secret.txt"));
        write(www.resolve(".hidden"), "hidden");
        write(Files.createDirectories(www.resolve(".git")).resolve("config"), "[core]");
        Files.createSymbolicLink(www.resolve("link-out"), Paths.get("../secret"));
        Files.createSymbolicLink(www.resolve("link-secret"), Paths.get("../secret/secret.txt"));
        Files.createSymbolicLink(www.resolve("link-sibling"), Paths.get("../www2/secret.txt"));
        Files.createSymbolicLink(www.resolve("link-absolute"), secret.resolve("secret.txt").toAbsolutePath());
        Files.createSymbolicLink(www.resolve("link-in"), Paths.get("a.txt"));
        Files.createSymbolicLink(www.resolve("link-dir-in"), Paths.get("docs"));
        Files.createSymbolicLink(www.resolve("loop"), Paths.get("loop"));
        Files.createSymbolicLink(www.resolve("dangling"), Paths.get("nothing-here"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(www.resolve("socket")));
        }
        paths = new StaticPaths(www);
    }

    @Test
    void aFileIsFoundWithItsSizeAndTime() throws IOException {
        assertThat(paths.resolve("/a.txt"))
                .isEqualTo(new Found(www.resolve("a.txt").toRealPath(), "a.txt", 10, MODIFIED));
        assertThat(paths.resolve("/docs/guide.txt")).isInstanceOfSatisfying(Found.class,
                found -> assertThat(found.size()).isEqualTo(5));
    }

    @Test
    void aDirectoryWithTheSlashIsItsIndex() throws IOException {
        assertThat(found("/").file()).isEqualTo(www.resolve("index.html").toRealPath());
        assertThat(found("/").name()).isEqualTo("index.html");
        assertThat(found("/blog/").file()).isEqualTo(www.resolve("blog/index.html").toRealPath());
    }

    @Test
    void aDirectoryWithoutTheSlashRedirectsToIt() {
        assertThat(paths.resolve("/docs")).isEqualTo(new Redirect("/docs/"));
        assertThat(paths.resolve("/my%20dir")).isEqualTo(new Redirect("/my%20dir/"));
        assertThat(paths.resolve("/link-dir-in")).isEqualTo(new Redirect("/link-dir-in/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/docs/", "/my%20dir/", "/index-is-a-directory/", "/index-links-out/"})
    void aDirectoryWithoutAnIndexFileUnderTheRootIsForbidden(String path) {
        assertThat(paths.resolve(path)).isEqualTo(new Refused(403));
    }

    @Test
    void namesArePercentDecodedOnce() throws IOException {
        assertThat(found("/with%20space.txt").file()).isEqualTo(www.resolve("with space.txt").toRealPath());
        assertThat(found("/100%25.txt").file()).isEqualTo(www.resolve("100%.txt").toRealPath());
        assertThat(found("/a+b.txt").file()).isEqualTo(www.resolve("a+b.txt").toRealPath());
        assertThat(found("/a%2Bb.txt").file()).isEqualTo(www.resolve("a+b.txt").toRealPath());
        assertThat(found("/%61.txt").name()).isEqualTo("a.txt");
        assertThat(paths.resolve("/100%2525.txt")).isEqualTo(new Refused(404));
    }

    @Test
    void aNameInUtf8() throws IOException {
        assumeThat(System.getProperty("sun.jnu.encoding")).as("file names in UTF-8 (the locale's charset)")
                .isEqualTo("UTF-8");
        Path file = write(www.resolve("caf\u00e9.txt"), "utf-8");
        assertThat(found("/caf%C3%A9.txt").file()).isEqualTo(file.toRealPath());
        assertThat(found("/caf%c3%a9.txt").name()).isEqualTo("caf\u00e9.txt");
    }

    @Test
    void linksWithinTheRootAreFollowed() throws IOException {
        assertThat(paths.resolve("/link-in"))
                .isEqualTo(new Found(www.resolve("a.txt").toRealPath(), "link-in", 10, MODIFIED));
        assertThat(found("/link-dir-in/guide.txt").file()).isEqualTo(www.resolve("docs/guide.txt").toRealPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/link-out/secret.txt", "/link-out/", "/link-out", "/link-secret", "/link-sibling",
        "/link-absolute", "/loop", "/loop/x", "/dangling", "/missing", "/docs/missing.txt", "/a.txt/",
        "/a.txt/x", "/socket", "/.hidden", "/.git/config", "/.git/", "/.git", "/%2ehidden", "/docs/.x",
        "/.link-out/secret.txt"})
    void whatIsOutOfTheRootMissingHiddenOrNotAFileIsNotFound(String path) {
        assertThat(paths.resolve(path)).as(path).isEqualTo(new Refused(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.txt", "*", "../secret/secret.txt", "/../secret/secret.txt",
        "/docs/../a.txt", "/./a.txt", "/.", "/..", "/docs/.", "/docs/..", "/%2e%2e/secret/secret.txt",
        "/%2E%2E/secret/secret.txt", "/.%2e/secret/secret.txt", "/%2e./secret/secret.txt", "/%2e/a.txt",
        "/link-out/../a.txt", "/..%2fsecret/secret.txt", "/a%2fb", "/docs%2Fguide.txt", "/docs%5cguide.txt",
        "/docs\\guide.txt", "/..\\secret", "/a.txt%00", "/a%00.txt", "/a%0a.txt", "/a%0d%0aX:%20y", "/a%09",
        "/a%7f", "/%", "/%2", "/%zz", "/%g0", "/%c3", "/%c3%28", "/%ff", "/%c0%af", "/%ed%a0%80", "//a.txt",
        "/docs//guide.txt", "//", "///", "//example.com", "/a b", "/a\tb", "/caf\u00e9.txt", "/a\u0000",
        "/\u007f"})
    void aPathThatIsNotOneNameAfterAnotherIsABadRequest(String path) {
        assertThat(paths.resolve(path)).as(path).isEqualTo(new Refused(400));
    }

    @Test
    void aFifoIsNotFoundAndNeverOpened() throws IOException, InterruptedException {
        Path fifo = www.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException missing) {
            throw new TestAbortedException("mkfifo, to make a fifo, is missing: " + missing.getMessage());
        }
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThat(paths.resolve("/fifo")).isEqualTo(new Refused(404));
    }

    @Test
    void theRootMustBeADirectory() {
        assertThatThrownBy(() -> new StaticPaths(www.resolve("a.txt"))).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> new StaticPaths(base.resolve("nothing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void theRootIsTakenByItsRealPath() throws IOException {
        Path link = Files.createSymbolicLink(base.resolve("www-link"), Paths.get("www"));
        StaticPaths throughALink = new StaticPaths(link);
        assertThat(throughALink.root()).isEqualTo(www.toRealPath());
        assertThat(throughALink.resolve("/a.txt")).isEqualTo(paths.resolve("/a.txt"));
        assertThat(throughALink.resolve("/link-secret")).isEqualTo(new Refused(404));
    }

    private static Found found(String path) {
        Resolution resolution = paths.resolve(path);
        assertThat(resolution).as(path).isInstanceOf(Found.class);
        return (Found) resolution;
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
