package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.StaticPaths.Found;
import io.jepoll.http.StaticPaths.Redirect;
import io.jepoll.http.StaticPaths.Refused;
import io.jepoll.http.StaticPaths.Resolution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any path, as bytes read as UTF-8, against a root that holds links out of it (to a directory, to
 * a file, to a sibling whose name starts with the root's, by an absolute path) next to a
 * directory with a secret: the answer is never an exception, never a file out of the root, only
 * ever one of the root's regular files, and a redirect only to a directory of the root.
 */
class StaticPathsFuzzTest {

    @TempDir
    static Path base;
    private static Path root;
    private static Set<Path> servable;
    private static StaticPaths paths;

    @BeforeAll
    static void makeTheTree() throws IOException {
        Path www = Files.createDirectory(base.resolve("www"));
        Path secret = Files.createDirectory(base.resolve("secret"));
        Files.writeString(secret.resolve("secret.txt"), "secret");
        Files.writeString(Files.createDirectory(base.resolve("www2")).resolve("secret.txt"), "secret");
        Files.writeString(www.resolve("index.html"), "home");
        Files.writeString(www.resolve("a.txt"), "a");
        Files.writeString(Files.createDirectory(www.resolve("docs")).resolve("guide.txt"), "guide");
        Files.writeString(www.resolve(".hidden"), "hidden");
        Files.createSymbolicLink(www.resolve("link-out"), Paths.get("../secret"));
        Files.createSymbolicLink(www.resolve("link-secret"), Paths.get("../secret/secret.txt"));
        Files.createSymbolicLink(www.resolve("link-sibling"), Paths.get("../www2"));
        Files.createSymbolicLink(www.resolve("link-absolute"), secret.toAbsolutePath());
        Files.createSymbolicLink(www.resolve("link-in"), Paths.get("docs"));
        paths = new StaticPaths(www);
        root = www.toRealPath();
        servable = Set.of(root.resolve("index.html"), root.resolve("a.txt"), root.resolve("docs/guide.txt"));
    }

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/", "//", "..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "%00", "%", "%c3%a9", "%ff",
        "link-out", "link-secret", "link-sibling", "link-absolute", "link-in", "secret", "secret.txt", "www",
        "www2", "docs", "guide.txt", "a.txt", "index.html", ".hidden"})
    void noPathLeavesTheRoot(FuzzedDataProvider data) throws IOException {
        String path = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        Resolution resolution = paths.resolve(path);
        if (resolution instanceof Found found) {
            assertThat(found.file()).as(path).isIn(servable);
            assertThat(found.file().toRealPath()).as(path).isEqualTo(found.file());
            assertThat(found.size()).as(path).isEqualTo(Files.size(found.file()));
            assertThat(found.name()).as(path).doesNotContain("/").doesNotStartWith(".");
        } else if (resolution instanceof Redirect redirect) {
            assertThat(redirect.location()).as(path).isEqualTo(path + "/").doesNotStartWith("//");
            Path directory = root.resolve(path.substring(1)).toRealPath();
            assertThat(directory).as(path).startsWith(root);
            assertThat(Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)).as(path).isTrue();
        } else {
            assertThat(((Refused) resolution).status()).as(path).isIn(400, 403, 404);
        }
    }
}
