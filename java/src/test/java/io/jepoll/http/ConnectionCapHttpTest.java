package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.lang.ref.Reference;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * At {@code maxConnections}, a new HTTP connection takes the place of the oldest one awaiting a
 * request or idle between requests (a slowloris among them); when every connection is busy with a
 * request it is answered 503 with {@code Connection: close} and closed, while the others keep
 * being served.
 */
@Timeout(60)
class ConnectionCapHttpTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: cap.test\r\n\r\n";
    /** A request whose head has come and whose body has not: the connection is busy. */
    private static final String HALF_A_POST = "POST /echo HTTP/1.1\r\nHost: cap.test\r\nContent-Length: 5\r\n\r\nhe";
    /** A head that never ends (slowloris): nothing is owed to this connection yet. */
    private static final String TRICKLE = "GET / HTTP/1.1\r\nHost: cap.test\r\nX-a: b\r\n";

    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapWithEveryConnectionBusyANewOneGets503AndIsClosed(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxConnections(1).build().start();
                RawHttp served = RawHttp.connect(server)) {
            assertThat(served.send(GET).read().status()).isEqualTo(200);
            served.send(HALF_A_POST);
            RawHttp.awaitTrue("the half-sent POST read", () -> server.stats().bytesRead() >= GET.length()
                    + HALF_A_POST.length());

            try (RawHttp refused = RawHttp.connect(server)) {
                RawHttp.Response answer = refused.send(GET).read();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Connection")).isEqualTo("close");
                assertThat(answer.header("Date")).isNotNull();
                assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.US_ASCII))
                        .contains("connection limit");
                refused.assertClosedByServer();
            }

            RawHttp.Response posted = served.send("llo").read();
            assertThat(posted.status()).isEqualTo(200);
            assertThat(new String(posted.body(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapAnIdleKeepAliveConnectionIsClosedToServeANewClient(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxConnections(1).build().start();
                RawHttp idle = RawHttp.connect(server)) {
            assertThat(idle.send(GET).read().status()).isEqualTo(200);

            assertThat(fetch(server)).isEqualTo(200);
            idle.assertClosedByServer();
        }
    }

    /**
     * The attack: the cap full of trickled heads, and more arriving all the time. Each new
     * connection closes the oldest trickler, so every real client is served.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowlorisAtTheCapCannotLockRealClientsOut(Transport transport) throws Exception {
        int cap = 20;
        List<RawHttp> tricklers = new ArrayList<>();
        // Held, so that no client's connection closes when it is collected: a slot freed so
        // would let a newcomer in without closing a trickler.
        List<HttpClient> clients = new ArrayList<>();
        try (HttpServer server = RawHttp.builder(transport).maxConnections(cap).build().start()) {
            for (int i = 0; i < cap; i++) {
                tricklers.add(RawHttp.connect(server).send(TRICKLE));
            }
            RawHttp.awaitTrue("every trickled head read", () -> server.stats().bytesRead() >= (long) cap * TRICKLE.length());
            for (int i = 0; i < 10; i++) {
                tricklers.add(RawHttp.connect(server).send(TRICKLE));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                clients.add(client);
                assertThat(fetch(client, server)).as("real client %d, status", i).isEqualTo(200);
            }
            for (int i = 0; i < 20; i++) {
                tricklers.get(i).assertClosedByServer();
            }
            for (RawHttp latest : tricklers.subList(20, 30)) {
                RawHttp.Response answer = latest.send("\r\n").read();
                assertThat(answer.status()).as("a trickler that finally ends its head").isEqualTo(200);
            }
        } finally {
            Reference.reachabilityFence(clients);
            for (RawHttp trickler : tricklers) {
                trickler.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRealClientIsServedAgainOnceABusyConnectionCloses(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxConnections(1).build().start()) {
            try (RawHttp served = RawHttp.connect(server)) {
                served.send(HALF_A_POST);
                RawHttp.awaitTrue("the half-sent POST read", () -> server.stats().bytesRead() >= HALF_A_POST.length());
                assertThat(fetch(server)).isEqualTo(503);
            }
            RawHttp.awaitTrue("a new client served once the first has gone", () -> fetch(server) == 200);
        }
    }

    /** A fresh java.net.http client each time, so that no pooled connection is reused. */
    private static int fetch(HttpServer server) {
        return fetch(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), server);
    }

    private static int fetch(HttpClient client, HttpServer server) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .timeout(RawHttp.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
