package io.jepoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library jar as a module ({@code io.jepoll} on the module path with JNA): a program in
 * another module serves an echo on it, through either binding, and cannot reach the binding,
 * which is not exported.
 */
class ModulePathIT {

    private static final String PROGRAM = """
            import io.jepoll.echo.EchoHandler;
            import io.jepoll.loop.Transport;
            import io.jepoll.server.TcpServer;
            import java.net.InetAddress;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;

            public class Echo {
                public static void main(String[] args) throws Exception {
                    Transport transport = Transport.valueOf(args[0]);
                    try (TcpServer server = TcpServer.builder().transport(transport).handler(EchoHandler::new)
                            .build().start();
                            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                        byte[] echoed = socket.getInputStream().readNBytes(4);
                        System.out.println(server.transport() + " echoed " + new String(echoed, StandardCharsets.US_ASCII)
                                + " through " + server.stats().binding());
                    }
                    try {
                        Class.forName("io.jepoll.shim.Shim").getMethod("isAvailable").invoke(null);
                        System.out.println("the binding is reachable");
                    } catch (IllegalAccessException expected) {
                        System.out.println("the binding is not exported");
                    }
                }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL_ET", "NIO"})
    void aProgramOnTheModulePathServesWithItAndCannotReachTheBinding(String transport, @TempDir Path dir)
            throws Exception {
        String out = run(Path.of(System.getProperty("java.home")), transport, "jna", dir);

        assertThat(out).contains(transport + " echoed ping through " + (transport.equals("NIO") ? "jdk" : "jna"))
                .contains("the binding is not exported");
    }

    /** On the module path the FFM binding's downcalls are io.jepoll's: that is the module granted native access. */
    @Test
    void onAJdk22TheFfmBindingServesFromTheModulePath(@TempDir Path dir) throws Exception {
        String jdk = System.getProperty("jepoll.jdk22.home", "none");
        assumeTrue(!jdk.equals("none"), "the build found no JDK 22+ (see the README: two bindings)");

        String out = run(Path.of(jdk), "EPOLL_ET", "ffm", dir);

        assertThat(out).contains("EPOLL_ET echoed ping through ffm").contains("the binding is not exported")
                .doesNotContain("WARNING");
    }

    private static String run(Path javaHome, String transport, String binding, Path dir) throws Exception {
        Path program = Files.writeString(dir.resolve("Echo.java"), PROGRAM);
        String modulePath = LibraryJar.path() + File.pathSeparator + jnaJar();
        Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(),
                "--module-path", modulePath, "--add-modules", "io.jepoll",
                "--enable-native-access=com.sun.jna,io.jepoll", "-Djepoll.binding=" + binding, program.toString(),
                transport).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the program ended within 60 s").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status; output:%n%s", out).isZero();
        return out;
    }

    private static String jnaJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Path.of(entry).getFileName().toString().matches("jna-[0-9.]+\\.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("JNA is not on the test class path"));
    }
}
