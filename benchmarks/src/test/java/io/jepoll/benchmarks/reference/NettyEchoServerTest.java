package io.jepoll.benchmarks.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NettyEchoServerTest {

    @Test
    @Timeout(20)
    void echoesOneMebibyteExactly() throws IOException {
        byte[] sent = new byte[1 << 20];
        new Random(20261129).nextBytes(sent);
        try (ReferenceServer server = NettyEchoServer.start("127.0.0.1", 0);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // Written while the echo is read: one thread doing both in turn would block once
            // the socket buffers both ways are full.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(sent);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] received = in.readNBytes(sent.length);
            writing.join();

            assertThat(received.length).isEqualTo(sent.length);
            assertThat(Arrays.mismatch(received, sent)).as("first differing byte").isEqualTo(-1);
            socket.shutdownOutput();
            assertThat(in.read()).as("nothing more than was sent").isEqualTo(-1);
        }
    }
}
