package io.jepoll.server;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTP over a Unix socket file with the clients that use one: curl's --unix-socket, and nginx's proxy_pass. */
@Timeout(60)
class UnixSocketRealClientsTest {

    @TempDir
    Path dir;

    private HttpServer start(Transport transport, Path socket) throws IOException {
        assumeAvailable(transport);
        return HttpServer.builder().transport(transport).unixSocket(socket).builtInRoutes().build().start();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void curlGetsHelloAndAnEchoOverTheSocketFile(Transport transport) throws Exception {
        String curl = tool("curl").orElseGet(() -> Assumptions.abort("curl is not installed"));
        Path socket = dir.resolve("curl.sock");
        HttpServer server = start(transport, socket);
        try {
            Run hello = run(dir, curl, "--silent", "--show-error", "--max-time", "10", "--unix-socket", socket.toString(),
                    "http://localhost/");
            assertThat(hello.exit()).as("curl exit; stderr: %s", hello.err()).isZero();
            assertThat(hello.out()).isEqualTo("hello\n");

            Run echo = run(dir, curl, "--silent", "--show-error", "--max-time", "10", "--unix-socket", socket.toString(),
                    "--data-binary", "over a socket file", "http://localhost/echo");
            assertThat(echo.exit()).as("curl exit; stderr: %s", echo.err()).isZero();
            assertThat(echo.out()).isEqualTo("over a socket file");
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nginxProxiesToTheSocketFile(Transport transport) throws Exception {
        String nginx = tool("nginx").or(() -> Files.isExecutable(Path.of("/usr/sbin/nginx"))
                ? Optional.of("/usr/sbin/nginx") : Optional.empty())
                .orElseGet(() -> Assumptions.abort("nginx is not installed"));
        Path socket = dir.resolve("up.sock");
        HttpServer server = start(transport, socket);
        int port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), nginxConfig(dir, port, socket));
        Process proxy = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        try {
            awaitListening(port, proxy);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI base = URI.create("http://127.0.0.1:" + port);

            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(base.resolve("/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).as("status; nginx's log: %s", log(dir)).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello\n");

            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("through nginx")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(echo.statusCode()).isEqualTo(200);
            assertThat(echo.body()).isEqualTo("through nginx");
            assertThat(server.stats().connectionsOpened()).as("connections nginx made to the socket").isPositive();
        } finally {
            proxy.destroy();
            if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
            server.close();
        }
    }

    /**
     * One process in the foreground, every path it writes in {@code dir}, HTTP/1.1 with
     * keep-alive to the upstream (as a balancer in front of a backend runs it).
     */
    private static String nginxConfig(Path dir, int port, Path socket) {
        String temp = dir.toString();
        return String.join("\n",
                "daemon off;",
                "master_process off;",
                "pid " + temp + "/nginx.pid;",
                "error_log " + temp + "/error.log warn;",
                "events { worker_connections 64; }",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + temp + "/client_body;",
                "    proxy_temp_path " + temp + "/proxy;",
                "    fastcgi_temp_path " + temp + "/fastcgi;",
                "    uwsgi_temp_path " + temp + "/uwsgi;",
                "    scgi_temp_path " + temp + "/scgi;",
                "    upstream backend { server unix:" + socket + "; keepalive 4; }",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        location / {",
                "            proxy_pass http://backend;",
                "            proxy_http_version 1.1;",
                "            proxy_set_header Connection \"\";",
                "        }",
                "    }",
                "}",
                "");
    }

    private static void awaitListening(int port, Process proxy) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!proxy.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not listen on " + port + " within 15 s (alive: "
                            + proxy.isAlive() + ")", notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String log(Path dir) throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<String> tool(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path dir, String... command) throws Exception {
        Path out = dir.resolve("run.out");
        Path err = dir.resolve("run.err");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish within 20 s: " + List.of(command));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
