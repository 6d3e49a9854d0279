package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLaunchTest {

    private static final String JAVA = "/jdk25/bin/java";
    private static final Jdk JDK25 = new Jdk(25, Path.of(JAVA));
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final Layout LAYOUT = new Layout(Path.of("/s/jepoll.jar"), Optional.of(Path.of("/s/baseline.jar")),
            Path.of("/s/benchmarks.jar"), Path.of("pipeline.lua"), Path.of("nginx.conf.template"),
            Optional.of(Path.of("/usr/sbin/nginx")), Optional.of(Path.of("/s/http-floor")),
            Optional.of(Path.of("/s/echo-floor")), Optional.of(Path.of("/s/echo-load")), Path.of("/s/files"),
            Optional.of(new TlsFiles(Path.of("/s/tls/cert.pem"), Path.of("/s/tls/key.pem"))),
            Optional.of(Path.of("/s/wrk-fresh-sessions.so")), Path.of("/s"));

    private static Contender onJdk25(Server server, String binding) {
        return new Contender(server, Optional.of(JDK25), Optional.ofNullable(binding));
    }

    private static List<String> command(Contender contender, String benchmark) {
        return ServerLaunch.command(contender, benchmark, 18080, 68, LAYOUT, Path.of("/s/nginx"));
    }

    @Test
    void theJepollAndBaselineServersRunTheSameCommandLineFromTheirOwnJarOnTheirJdkWithTheirBinding() {
        assertThat(command(onJdk25(Server.JEPOLL_ET, "ffm"), "http"))
                .containsExactly("taskset", "-c", "0", JAVA, NATIVE_ACCESS, "-Djepoll.binding=ffm", "-jar",
                        "/s/jepoll.jar", "http", "--port", "18080", "--transport", "et", "--max-time", "68s");
        assertThat(command(onJdk25(Server.BASE_BLOCKING, null), "echo"))
                .containsExactly("taskset", "-c", "0", JAVA, NATIVE_ACCESS, "-jar", "/s/baseline.jar", "echo",
                        "--port", "18080", "--transport", "blocking", "--max-time", "68s");
        assertThat(command(Contender.of(Server.JEPOLL_NIO), "http")).as("without a JDK: this JVM's java")
                .startsWith("taskset", "-c", "0", Layout.java().toString(), NATIVE_ACCESS, "-jar");
    }

    @Test
    void theEchoLoadIsTheCClientOrWithEchoClientJavaEchoLoadWithTheSameOptions() throws Exception {
        List<String> options = List.of("--port", "18080", "--connections", "1000", "--size", "64", "--duration", "5s",
                "--warmup", "3s");

        assertThat(new LoadRuns(CompareOptions.parse(List.of()), LAYOUT, 100, line -> { }).echoLoadCommand(1000))
                .containsExactlyElementsOf(concat(List.of("taskset", "-c", "1", "/s/echo-load"), options));
        assertThat(new LoadRuns(CompareOptions.parse(List.of("--echo-client", "java")), LAYOUT, 100, line -> { })
                .echoLoadCommand(1000)).containsExactlyElementsOf(concat(List.of("taskset", "-c", "1",
                        Layout.java().toString(), NATIVE_ACCESS, "-cp", "/s/benchmarks.jar",
                        "io.jepoll.benchmarks.load.EchoLoad", "--transport", "et"), options));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    @Test
    void theStaticBenchmarkRunsJepollsHttpServerOnTheFiles() {
        assertThat(command(onJdk25(Server.JEPOLL_LT, "jna"), "static"))
                .containsExactly("taskset", "-c", "0", JAVA, NATIVE_ACCESS, "-Djepoll.binding=jna", "-jar",
                        "/s/jepoll.jar", "http", "--port", "18080", "--transport", "lt", "--max-time", "68s", "--root",
                        "/s/files");
    }

    @Test
    void theHttpsBenchmarkRunsJepollsHttpServerWithTheRunsCertificateAndKey() {
        assertThat(command(onJdk25(Server.JEPOLL_ET, "jna"), "https")).endsWith("--transport", "et", "--max-time",
                "68s", "--tls-cert", "/s/tls/cert.pem", "--tls-key", "/s/tls/key.pem");
    }

    @Test
    void nettyNginxAndTheFloorsRunPinnedWithADeadlineOfTheirOwn() {
        assertThat(command(onJdk25(Server.NETTY, null), "echo"))
                .containsExactly("taskset", "-c", "0", JAVA, NATIVE_ACCESS,
                        "-Dio.netty.leakDetection.level=disabled", "-cp", "/s/benchmarks.jar",
                        "io.jepoll.benchmarks.reference.NettyEchoServer", "--port", "18080", "--max-time", "68s");
        assertThat(command(Contender.of(Server.NGINX), "http"))
                .containsExactly("taskset", "-c", "0", "timeout", "-s", "TERM", "68s", "/usr/sbin/nginx", "-p",
                        "/s/nginx", "-c", "/s/nginx/nginx.conf", "-e", "/s/nginx/error.log");
        assertThat(command(Contender.of(Server.FLOOR), "http"))
                .containsExactly("taskset", "-c", "0", "/s/http-floor", "18080", "68");
        assertThat(command(Contender.of(Server.ECHO_FLOOR), "echo"))
                .containsExactly("taskset", "-c", "0", "/s/echo-floor", "18080", "68");
    }

    @Test
    void nginxsConfigurationIsTheTemplateWithItsPortDirectoryAndFiles(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("t"), "pid @DIR@/nginx.pid;\nlisten 127.0.0.1:@PORT@;\n"
                + "root @ROOT@;\nsendfile @SENDFILE@;\n");

        ServerLaunch.writeNginxConfig(template, dir.resolve("nginx"), 18080, Path.of("/s/files"), Optional.empty());

        assertThat(dir.resolve("nginx/nginx.conf")).hasContent("pid " + dir.resolve("nginx") + "/nginx.pid;\n"
                + "listen 127.0.0.1:18080;\nroot /s/files;\nsendfile on;\n");
    }

    @Test
    void nginxsHttpsConfigurationListensWithSslOnTheRunsCertificateAndKey(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("t"), "listen 127.0.0.1:@PORT@@SSL@;@TLS@\n");

        ServerLaunch.writeNginxConfig(template, dir.resolve("nginx"), 18080, Path.of("/s/files"), LAYOUT.tls());

        assertThat(dir.resolve("nginx/nginx.conf")).hasContent("listen 127.0.0.1:18080 ssl;\n"
                + "        ssl_certificate /s/tls/cert.pem;\n        ssl_certificate_key /s/tls/key.pem;\n"
                + "        ssl_protocols TLSv1.2 TLSv1.3;\n");
    }

    @Test
    void theRepositorysNginxTemplateLeavesNoPlaceholderBehind(@TempDir Path dir) throws Exception {
        ServerLaunch.writeNginxConfig(Path.of("nginx/nginx.conf.template"), dir.resolve("nginx"), 18080,
                Path.of("/s/files"), Optional.empty());
        ServerLaunch.writeNginxConfig(Path.of("nginx/nginx.conf.template"), dir.resolve("nginx-tls"), 18080,
                Path.of("/s/files"), LAYOUT.tls());

        assertThat(Files.readString(dir.resolve("nginx/nginx.conf"))).doesNotContain("@", "ssl_", " ssl backlog")
                .contains("listen 127.0.0.1:18080 backlog=1024;", "root /s/files;", "sendfile on;");
        assertThat(Files.readString(dir.resolve("nginx-tls/nginx.conf"))).doesNotContain("@")
                .contains("listen 127.0.0.1:18080 ssl backlog=1024;", "ssl_certificate /s/tls/cert.pem;",
                        "ssl_certificate_key /s/tls/key.pem;", "ssl_protocols TLSv1.2 TLSv1.3;");
    }

    @Test
    void theStaticFilesHaveTheSizesTheirPathsSay(@TempDir Path dir) throws Exception {
        Path files = StaticFiles.write(dir.resolve("files"));

        assertThat(Plan.STATIC_PATHS.values()).containsExactlyInAnyOrderElementsOf(StaticFiles.SIZES.keySet());
        assertThat(files.resolve("4k.bin")).hasSize(4096);
        assertThat(files.resolve("1m.bin")).hasSize(1 << 20);
        assertThat(Files.readAllBytes(files.resolve("4k.bin"))).isNotEqualTo(new byte[4096]);
    }

    @Test
    void theJepollInfoSaysWhichTransportsAreAvailable() {
        String info = "jepoll      0.1.0\net          available\nlt          unavailable: no libjepoll\nbest        nio\n";

        assertThat(Tools.unavailableTransport(info, "et")).isEmpty();
        assertThat(Tools.unavailableTransport(info, "lt"))
                .contains("the native transport is not available here (lt          unavailable: no libjepoll)");
        assertThat(Tools.unavailableTransport("", "et"))
                .contains("the native transport is not available here (see jepoll info)");
    }
}
