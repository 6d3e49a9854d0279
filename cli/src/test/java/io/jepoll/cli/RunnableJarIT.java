package io.jepoll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged {@code target/jepoll.jar}, run as a user runs it: on this JDK and on every JDK
 * 24+ installed beside it, where a jar without {@code Enable-Native-Access} would print a
 * warning when JNA loads native code.
 */
class RunnableJarIT {

    private static final Path JAR = Path.of("target", "jepoll.jar");

    static Stream<Path> javaHomes() throws IOException {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        homes.addAll(InstalledJdks.atLeast(24));
        return homes.stream();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void infoFindsTheNativeLibraryInsideTheJarWithoutWarnings(Path javaHome) throws Exception {
        Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-jar", JAR.toString(), "info")
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isZero();
        assertThat(err).as("stderr").isEmpty();
        assertThat(out).contains("et          available")
                .containsPattern("from jar:file:.*jepoll\\.jar!/linux-[a-z0-9-]+/libjepoll\\.so");
    }

    /**
     * {@code --binding ffm} binds through FFM on JDK 22+ (the jar's multi-release classes), and
     * elsewhere through JNA, saying why in one line: in {@code info} and once in the log.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void bindingFfmIsUsedFromJdk22AndJnaWithItsReasonBefore(Path javaHome) throws Exception {
        Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-jar", JAR.toString(),
                "--binding", "ffm", "info").start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isZero();
        int feature = InstalledJdks.featureVersion(javaHome);
        if (feature >= 22) {
            assertThat(out).contains("\nbinding     ffm\n").doesNotContain("not used");
            assertThat(err).as("stderr").isEmpty();
        } else {
            String reason = "-Djepoll.binding=ffm not used, JNA instead: the FFM binding needs JDK 22 or later, this is JDK "
                    + feature;
            assertThat(out).contains("\nbinding     jna\n            (" + reason + ")\n");
            assertThat(err).as("stderr").contains(reason).doesNotContain("Exception");
        }
    }

    @Test
    void anUnknownBindingIsAUsageErrorOnTheCommandLineAndJnaWithItsReasonAsAProperty() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin/java").toString();
        Process usage = new ProcessBuilder(java, "-jar", JAR.toString(), "--binding", "jni", "info").start();
        assertThat(usage.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(usage.exitValue()).isEqualTo(2);
        assertThat(new String(usage.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("--binding must be jna or ffm: jni");

        Process property = new ProcessBuilder(java, "-Djepoll.binding=jni", "-jar", JAR.toString(), "info").start();
        assertThat(property.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(property.exitValue()).isZero();
        assertThat(new String(property.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\nbinding     jna\n            (-Djepoll.binding=jni is neither jna nor ffm; JNA instead)\n");
    }

    /** Load scripts stop a server with SIGTERM and read what it did from its last line. */
    @Test
    void aSignalStopsTheServerAndItPrintsItsTotals(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path output = dir.resolve("out.txt");
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("page.html"), "<p>a page</p>\n");
        Process process = startHttp(port, output, "--root", root.toString());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("hello\n");
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).as("--root serves the directory").isEqualTo("<p>a page</p>\n");
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");

            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readAllLines(output)).anySatisfy(line -> assertThat(line)
                    .startsWith("stopped by a signal; totals: connections +2 ").contains("syscalls"));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * With --drain, SIGTERM drains: a request under way (an answer 1.5 s late) is still answered,
     * with Connection: close, and the server says it drained.
     */
    @Test
    void aSignalWithDrainAnswersTheRequestUnderWayFirst(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path output = dir.resolve("out.txt");
        Process process = startHttp(port, output, "--drain", "20s");
        try {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout(20_000);
                client.getOutputStream().write("GET /delay?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(300);
                process.destroy();
                String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                        .endsWith("delayed 1500 ms\n");
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readAllLines(output)).anySatisfy(line -> assertThat(line)
                    .startsWith("stopped by a signal, drained; totals: "));
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * {@code jepoll http} on {@code port} for at most a minute, with {@code options}, once it
     * listens. Its output goes to a file, not a pipe: the JDK may close a process's pipe under a
     * reader once it exits.
     */
    private static Process startHttp(int port, Path output, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin/java").toString(),
                "-jar", JAR.toString(), "http", "--port", Integer.toString(port), "--max-time", "60s"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(output).contains("listening on 127.0.0.1:" + port)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new AssertionError("the server did not start within 30 s; its output: " + Files.readString(output));
            }
            Thread.sleep(50);
        }
        return process;
    }

    /** The keystore's password need not be on the command line, where every local user can read it. */
    @Test
    void aKeystorePasswordComesFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        String java = Path.of(System.getProperty("java.home"), "bin").toString();
        ProcessBuilder keytool = new ProcessBuilder(java + "/keytool", "-genkeypair", "-noprompt", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass:env", "STORE_PASSWORD")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.txt").toFile());
        keytool.environment().put("STORE_PASSWORD", "from-the-environment");
        Process made = keytool.start();
        assertThat(made.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(made.exitValue()).as("keytool: %s", Files.readString(dir.resolve("keytool.txt"))).isZero();

        Path output = dir.resolve("out.txt");
        ProcessBuilder server = new ProcessBuilder(java + "/java", "-jar", JAR.toString(), "echo", "--port", "0",
                "--max-time", "1s", "--tls-keystore", keyStore.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        server.environment().put("JEPOLL_TLS_KEYSTORE_PASSWORD", "from-the-environment");
        Process served = server.start();
        assertThat(served.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(served.exitValue()).as("exit status; output: %s", Files.readString(output)).isZero();
        assertThat(Files.readString(output)).containsPattern("jepoll echo listening on 127\\.0\\.0\\.1:\\d+ \\(TLS, ");

        server.environment().remove("JEPOLL_TLS_KEYSTORE_PASSWORD");
        Process refused = server.start();
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(Files.readAllLines(output)).singleElement().asString().startsWith("jepoll echo: " + keyStore + ": ");
    }
}
