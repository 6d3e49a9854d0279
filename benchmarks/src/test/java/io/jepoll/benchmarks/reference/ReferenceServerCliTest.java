package io.jepoll.benchmarks.reference;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The servers' command line, run as a load run runs it: in a JVM of its own. */
class ReferenceServerCliTest {

    @Test
    @Timeout(30)
    void printsOneLineThenExitsZeroAfterMaxTime() throws Exception {
        Process process = launch(List.of(), NettyHttpServer.class, "--port", "0", "--max-time", "1s");
        try (BufferedReader out = stdout(process)) {
            assertThat(out.readLine()).matches("listening on 127\\.0\\.0\\.1:\\d+");
            assertThat(process.waitFor()).isZero();
            assertThat(out.readLine()).as("nothing after the first line").isNull();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(30)
    void servesUntilSigtermThenExitsZero() throws Exception {
        Process process = launch(List.of(), NettyEchoServer.class, "--port", "0");
        try (BufferedReader out = stdout(process)) {
            String line = out.readLine();
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("ping".getBytes(US_ASCII));
                assertThat(new String(socket.getInputStream().readNBytes(4), US_ASCII)).isEqualTo("ping");
            }
            process.destroy(); // SIGTERM
            assertThat(process.waitFor()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(30)
    void saysWhyInOneLineAndExitsTwoWithoutEpoll() throws Exception {
        Process process = launch(List.of("-Dio.netty.transport.noNative=true"), NettyHttpServer.class, "--port", "0");
        try {
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String err = new String(process.getErrorStream().readAllBytes(), US_ASCII);
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(err.lines()).singleElement().asString()
                    .startsWith("netty-http: Netty's epoll transport is not available: ").contains("noNative");
            assertThat(process.getInputStream().readAllBytes()).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(5)
    void aMaxTimeWithoutAUnitOrBelowZeroIsAUsageError() {
        // The duration grammar itself is io.jepoll.cli.DurationConverter's, tested with it.
        ReferenceServer.Starter never = (host, port) -> {
            throw new AssertionError("started");
        };

        assertThat(ReferenceServer.main("test", "", never, "--port", "0", "--max-time", "30")).isEqualTo(2);
        assertThat(ReferenceServer.main("test", "", never, "--port", "0", "--max-time=-1s")).isEqualTo(2);
    }

    private static Process launch(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), US_ASCII));
    }
}
