package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertClosedByPeer;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echo;
import static io.jepoll.echo.EchoClients.readExactly;
import static io.jepoll.proxy.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.proxy.ProxyHeaders;
import io.jepoll.server.TcpServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Any TCP protocol behind the PROXY protocol, on every transport: echo gives back every byte sent
 * after the header, those in the header's own write included, and none of the header's; a handler
 * sees the client the header names; without a header nothing is echoed.
 */
@Timeout(60)
class ProxyProtocolEchoTest {

    private static TcpServer.Builder proxiedEcho(Transport transport) {
        return EchoClients.echoServer(transport).proxyProtocol(true);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesInTheHeadersWriteAndAfterItComeBackExactly(Transport transport) throws Exception {
        byte[] first = SeededBytes.array(3, 1000);
        byte[] rest = SeededBytes.array(4, 256 * 1024);
        try (TcpServer server = proxiedEcho(transport).build().start(); Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ProxyHeaders.v2Tcp4(ProxyHeaders.tlv(ProxyHeaders.TLV_NOOP,
                    new byte[5])), first));

            assertThat(readExactly(socket.getInputStream(), first.length)).isEqualTo(first);
            assertThat(echo(socket, rest, false)).isEqualTo(rest);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerSeesTheClientTheHeaderNames(Transport transport) throws Exception {
        Handler tellsItsClient = new Handler() {
            @Override
            public void onOpen(Connection connection) {
                InetSocketAddress client = (InetSocketAddress) connection.clientAddress();
                InetSocketAddress destination = (InetSocketAddress) connection.clientDestination();
                connection.write(ByteBuffer.wrap((client.getAddress().getHostAddress() + " " + client.getPort() + " -> "
                        + destination.getAddress().getHostAddress() + " " + destination.getPort() + " via "
                        + ((InetSocketAddress) connection.remoteAddress()).getPort() + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                connection.write(in);
            }
        };
        try (TcpServer server = proxiedEcho(transport).handler(() -> tellsItsClient).build().start();
                Socket socket = connect(server)) {
            socket.getOutputStream().write(concat(ProxyHeaders.v1Tcp6(), new byte[] {'!'}));
            String expected = "2001:db8:0:0:0:0:0:7 40001 -> 2001:db8:0:0:0:0:0:1 8443 via " + socket.getLocalPort()
                    + "\n!";

            assertThat(new String(readExactly(socket.getInputStream(), expected.length()), StandardCharsets.US_ASCII))
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutAHeaderNothingIsEchoedAndTheConnectionCloses(Transport transport) throws Exception {
        try (TcpServer server = proxiedEcho(transport).build().start(); Socket socket = connect(server)) {
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));

            assertClosedByPeer(socket);
            assertThat(server.proxyProtocol().refused()).isEqualTo(1);
        }
    }
}
