package io.jepoll.examples.kv;

import static io.jepoll.examples.Transports.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The key-value protocol over real sockets on 127.0.0.1, on every transport jepoll offers. */
@Timeout(60)
class KeyValueServerTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void answersEachCommandWithItsReply(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            client.send("SET greeting hello, world\n");
            assertThat(client.readLine()).isEqualTo("OK");
            client.send("GET greeting\n");
            assertThat(client.readLine()).isEqualTo("VALUE hello, world");
            client.send("GET nothing\n");
            assertThat(client.readLine()).isEqualTo("NOT_FOUND");
            client.send("DEL greeting\r\n");
            assertThat(client.readLine()).isEqualTo("OK");
            client.send("DEL greeting\n");
            assertThat(client.readLine()).isEqualTo("NOT_FOUND");
            client.send("INCR counter\n");
            assertThat(client.readLine()).isEqualTo("ERROR unknown command INCR");
            client.send("SET lonely\n");
            assertThat(client.readLine()).isEqualTo("ERROR usage: SET <key> <value>");
            client.send("\n");
            assertThat(client.readLine()).isEqualTo("ERROR empty line");
            client.send("QUIT\n");
            assertThat(client.readLine()).isEqualTo("OK");
            assertThat(client.closedByServer()).as("closed after QUIT").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyConnectionSeesTheSameStore(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient writer = new LineClient(server.port());
                LineClient reader = new LineClient(server.port())) {
            writer.send("SET colour blue\n");
            assertThat(writer.readLine()).isEqualTo("OK");
            reader.send("GET colour\n");
            assertThat(reader.readLine()).isEqualTo("VALUE blue");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCommandSplitAcrossPacketsIsAnsweredOnceWhole(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            for (String piece : List.of("S", "ET ke", "y val", "ue\nGE", "T k", "ey", "\n")) {
                client.send(piece);
                Thread.sleep(20);
            }
            assertThat(client.readLines(2)).containsExactly("OK", "VALUE value");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void severalCommandsInOnePacketAreAnsweredInOrder(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            client.send("SET a 1\nSET b 2\nGET a\nGET b\nDEL a\nGET a\nQUIT\nGET b\n");
            assertThat(client.readLines(7)).containsExactly("OK", "OK", "VALUE 1", "VALUE 2", "OK", "NOT_FOUND", "OK");
            assertThat(client.closedByServer()).as("closed after QUIT, the GET after it unanswered").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void repliesLargerThanTheLoopsBufferStillComeBackWholeAndInOrder(Transport transport) throws Exception {
        assumeAvailable(transport);
        int keys = 200;
        StringBuilder sets = new StringBuilder();
        StringBuilder gets = new StringBuilder();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            values.add("VALUE " + i + "-" + "v".repeat(1000));
            sets.append("SET k").append(i).append(' ').append(i).append('-').append("v".repeat(1000)).append('\n');
            gets.append("GET k").append(i).append('\n');
        }
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            client.send(sets.toString());
            assertThat(client.readLines(keys)).containsOnly("OK");
            // 1.8 KB of commands in one packet, about 200 KB of replies: more than the 64 KiB a loop lends.
            client.send(gets.toString());
            assertThat(client.readLines(keys)).containsExactlyElementsOf(values);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLineAtTheLimitIsServedAndALongerOneClosesTheConnection(Transport transport) throws Exception {
        assumeAvailable(transport);
        int limit = KeyValueServer.DEFAULT_MAX_LINE_BYTES;
        String atLimit = "SET k " + "x".repeat(limit - "SET k ".length());
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            client.send(atLimit + "\n");
            assertThat(client.readLine()).isEqualTo("OK");
            client.send("GET missing\n" + atLimit + "x\nGET k\n");
            assertThat(client.readLines(2)).containsExactly("NOT_FOUND", "ERROR line too long");
            assertThat(client.closedByServer()).as("closed after the long line").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLineThatNeverEndsIsRefusedOnceItPassesTheLimit(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = KeyValueServer.start(0, transport);
                LineClient client = new LineClient(server.port())) {
            client.send("SET k ");
            client.send("y".repeat(KeyValueServer.DEFAULT_MAX_LINE_BYTES));
            assertThat(client.readLine()).isEqualTo("ERROR line too long");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLineTricklingInPastItsTimeoutIsRefused(Transport transport) throws Exception {
        assumeAvailable(transport);
        Duration lineTimeout = Duration.ofMillis(500);
        try (TcpServer server = KeyValueServer.start(0, transport, KeyValueServer.DEFAULT_MAX_LINE_BYTES, lineTimeout);
                LineClient client = new LineClient(server.port())) {
            client.send("GET k\n");
            assertThat(client.readLine()).isEqualTo("NOT_FOUND");
            // A byte every 100 ms: a deadline that moved with each byte would never pass.
            CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        client.send("k");
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // The server refused the line, or the test is over and closed the socket.
                }
            });
            long start = System.nanoTime();
            assertThat(client.readLine()).isEqualTo("ERROR line timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void startFailsWithAnIOExceptionWhenThePortIsTaken(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> KeyValueServer.start(taken.getLocalPort(), transport))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Address already in use");
        }
    }
}
