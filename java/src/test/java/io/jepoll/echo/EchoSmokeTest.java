package io.jepoll.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EchoSmokeTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesAMegabyte(Transport transport) throws Exception {
        try (TcpServer server = TcpServer.builder().transport(transport).handler(EchoHandler::new).build().start();
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            byte[] sent = new byte[1 << 20];
            new Random(1).nextBytes(sent);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(sent);
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            byte[] received = in.readAllBytes();
            writer.join();
            assertThat(received).isEqualTo(sent);
            System.out.println(transport + " " + server.stats());
        }
    }
}
