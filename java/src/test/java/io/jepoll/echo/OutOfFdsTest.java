package io.jepoll.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server whose process runs out of fds (a child JVM under {@code prlimit --nofile=64})
 * must not spin on a listener it cannot accept from, must say so once, must serve the
 * connections it has, and must accept again as soon as fds free up.
 */
@Timeout(120)
class OutOfFdsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final int CONNECTIONS = 120;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerOutOfFdsDoesNotSpinSaysSoOnceAndRecovers(Transport transport, @TempDir Path dir) throws Exception {
        EchoClients.assumeAvailable(transport);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder("/usr/bin/prlimit", "--nofile=64:64",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath(),
                Server.class.getName(), transport.name())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> clients = new ArrayList<>();
        try {
            int port = awaitPort(log);
            // One connection first, as any server has served before a flood: with this test's
            // class path of directories, loading a class opens a file, which a cold server that
            // is out of fds cannot do for its first connection. Its byte comes after a pause, so
            // that the server waits in a read once: on JDK 22+ the first virtual thread to wait for
            // a socket makes the JDK's pollers, an epoll fd each, which a server out of fds cannot.
            try (Socket warmUp = EchoClients.connect(new java.net.InetSocketAddress("127.0.0.1", port), 0)) {
                Thread.sleep(300);
                assertThat(echo(warmUp, (byte) 7)).as("echo before the flood").isEqualTo((byte) 7);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(EchoClients.connect(new java.net.InetSocketAddress("127.0.0.1", port), 0));
            }
            Thread.sleep(500);
            double cpuBefore = cpuSeconds(server.pid());
            Thread.sleep(2000);
            double cpuWhileOut = cpuSeconds(server.pid()) - cpuBefore;
            // Printed for the record: the figure that shows the loop is not spinning.
            System.out.printf("OutOfFdsTest %s: server process CPU %.3f s over 2 s while out of fds%n",
                    transport, cpuWhileOut);
            assertThat(cpuWhileOut).as("server CPU seconds over 2 s while out of fds").isLessThan(0.5);

            for (int i = 0; i < 20; i++) {
                assertThat(echo(clients.get(i), (byte) i)).as("echo on accepted connection %d", i).isEqualTo((byte) i);
            }
            for (Socket client : clients) {
                client.close();
            }
            try (Socket late = EchoClients.connect(new java.net.InetSocketAddress("127.0.0.1", port), 0)) {
                assertThat(echo(late, (byte) 42)).as("echo on a new connection once fds are free").isEqualTo((byte) 42);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output.split("accept failed", -1)).as("warnings in:%n%s", output).hasSize(2);
            assertThat(output).contains("Too many open files").doesNotContain("\tat ");
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The echo server in the child JVM: says where it listens, as the command line does, and serves for 60 s. */
    static final class Server {
        public static void main(String[] args) throws Exception {
            try (TcpServer server = TcpServer.builder().port(0).transport(Transport.valueOf(args[0]))
                    .handler(EchoHandler::new).build().start()) {
                System.out.println("listening on 127.0.0.1:" + server.port());
                Thread.sleep(60_000);
            }
        }
    }

    private static byte echo(Socket socket, byte value) throws IOException {
        socket.getOutputStream().write(value);
        int read = socket.getInputStream().read();
        return (byte) read;
    }

    private static int awaitPort(Path log) throws Exception {
        for (int i = 0; i < 300; i++) {
            Matcher matcher = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** User + system CPU time of a process, from /proc. */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String classPath() throws Exception {
        return String.join(File.pathSeparator, location(Server.class), location(TcpServer.class),
                location(Native.class));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
