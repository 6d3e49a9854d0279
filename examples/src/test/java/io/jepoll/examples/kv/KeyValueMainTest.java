package io.jepoll.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.examples.ExampleProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code KeyValueServer.main} as a user runs it: its own JVM, a port on the command line, SIGTERM to stop. */
@Timeout(60)
class KeyValueMainTest {

    @Test
    void servesOnThePortItIsGivenUntilStopped() throws Exception {
        try (ExampleProcess program = ExampleProcess.start(KeyValueServer.class, "0")) {
            String banner = program.firstLine();
            assertThat(banner).startsWith("key-value server listening on 127.0.0.1:");
            try (LineClient client = new LineClient(ExampleProcess.portIn(banner))) {
                client.send("SET k v\nGET k\n");
                assertThat(client.readLines(2)).containsExactly("OK", "VALUE v");
            }
            assertThat(program.stop()).as("ended within 10 s of SIGTERM").isTrue();
            // On JDK 24+ a JVM without --enable-native-access warns here when JNA loads the library.
            assertThat(program.errors()).isEmpty();
        }
    }

    @Test
    void exitsWithStatusOneAndTheReasonWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ExampleProcess program = ExampleProcess.start(KeyValueServer.class,
                        String.valueOf(taken.getLocalPort()))) {
            assertThat(program.exitStatus()).isEqualTo(1);
            assertThat(program.errors()).startsWith("cannot start the key-value server: ")
                    .contains("Address already in use");
        }
    }

    @Test
    void exitsWithStatusTwoOnAnUnknownTransport() throws Exception {
        try (ExampleProcess program = ExampleProcess.start(KeyValueServer.class, "0", "epoll")) {
            assertThat(program.exitStatus()).isEqualTo(2);
            assertThat(program.errors()).startsWith("usage: KeyValueServer <port> [et|lt|nio|blocking|best]")
                    .contains("unknown transport 'epoll'");
        }
    }
}
