package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Past {@code maxConnections}, a new HTTP connection is answered 503 with
 * {@code Connection: close} and closed, while the connections under the cap keep being served.
 */
@Timeout(60)
class ConnectionCapHttpTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: cap.test\r\n\r\n";

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pastTheCapANewConnectionGets503AndIsClosed(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxConnections(1).build().start();
                RawHttp served = RawHttp.connect(server)) {
            assertThat(served.send(GET).read().status()).isEqualTo(200);

            try (RawHttp refused = RawHttp.connect(server)) {
                RawHttp.Response answer = refused.send(GET).read();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Connection")).isEqualTo("close");
                assertThat(answer.header("Date")).isNotNull();
                assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.US_ASCII))
                        .contains("connection limit");
                refused.assertClosedByServer();
            }

            RawHttp.Response again = served.send(GET).read();
            assertThat(again.status()).isEqualTo(200);
            assertThat(new String(again.body(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRealClientIsServedAgainOnceAConnectionCloses(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxConnections(1).build().start()) {
            try (RawHttp served = RawHttp.connect(server)) {
                assertThat(served.send(GET).read().status()).isEqualTo(200);
                assertThat(fetch(server)).isEqualTo(503);
            }
            RawHttp.awaitTrue("a new client served once the first has gone", () -> fetch(server) == 200);
        }
    }

    /** A fresh java.net.http client each time, so that no pooled connection is reused. */
    private static int fetch(HttpServer server) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
