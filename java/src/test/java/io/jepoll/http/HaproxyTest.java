package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real HAProxy in front of a jepoll HTTP server, on every transport: one frontend passes
 * connections on with {@code send-proxy} (v1), another with {@code send-proxy-v2}, and a request
 * from the JDK's HttpClient through either is answered for the client's own address and source
 * port, while the socket's peer is HAProxy; the v2 header carries a TLV (a CRC32C), which the
 * server skips. Skipped where haproxy is not installed.
 */
@Timeout(60)
class HaproxyTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRequestThroughHaproxyIsAnsweredForTheClientsAddressAndPort(Transport transport, @TempDir Path dir)
            throws Exception {
        try (HttpServer server = ProxyProtocolHttpTest.proxied(transport).build().start()) {
            int v1Port = Haproxy.freePort();
            int v2Port = Haproxy.freePort();
            try (Haproxy balancer = Haproxy.start(dir,
                    "global",
                    "  maxconn 64",
                    "defaults",
                    "  mode tcp",
                    "  timeout connect 5s",
                    "  timeout client 30s",
                    "  timeout server 30s",
                    "frontend v1",
                    "  bind 127.0.0.1:" + v1Port,
                    "  default_backend jepoll_v1",
                    "frontend v2",
                    "  bind 127.0.0.1:" + v2Port,
                    "  default_backend jepoll_v2",
                    "backend jepoll_v1",
                    "  server jepoll 127.0.0.1:" + server.port() + " send-proxy",
                    "backend jepoll_v2",
                    // A CRC32C TLV after the addresses, for the server to skip.
                    "  server jepoll 127.0.0.1:" + server.port() + " send-proxy-v2 proxy-v2-options crc32c")) {
                balancer.awaitListening(v1Port);
                balancer.awaitListening(v2Port);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(RawHttp.TIMEOUT).build();
                for (int port : new int[] {v1Port, v2Port}) {
                    java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/client")).timeout(RawHttp.TIMEOUT).build(),
                            BodyHandlers.ofString());

                    assertThat(answer.statusCode()).isEqualTo(200);
                    String[] seen = answer.body().split(" ");
                    assertThat(seen).as("client -> destination via peer: %s", answer.body()).hasSize(8);
                    assertThat(seen[0]).as("the client's address").isEqualTo("127.0.0.1");
                    assertThat(seen[3] + " " + seen[4]).as("the address the client connected to").isEqualTo("127.0.0.1 " + port);
                    int clientPort = Integer.parseInt(seen[1]);
                    assertThat(clientPorts(port)).as("the source ports of the client's connections to HAProxy's %d", port)
                            .contains(clientPort);
                    assertThat(Integer.parseInt(seen[7])).as("the socket's peer: HAProxy's own port").isNotEqualTo(clientPort);
                }
            }
        }
    }

    /**
     * The local ports of this machine's established connections to {@code port}: the client's side
     * of each, as the kernel lists them in /proc/net/tcp and tcp6 (addresses and ports in hex; the
     * JDK's sockets are IPv6 sockets, which reach 127.0.0.1 as ::ffff:127.0.0.1).
     */
    private static List<Integer> clientPorts(int port) throws IOException {
        List<Integer> ports = new ArrayList<>();
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (Files.exists(tcp6)) {
            lines.addAll(Files.readAllLines(tcp6));
        }
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4 || !fields[3].equals("01")) {
                continue;
            }
            String local = fields[1];
            String remote = fields[2];
            if (Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16) == port) {
                ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
            }
        }
        return ports;
    }
}
