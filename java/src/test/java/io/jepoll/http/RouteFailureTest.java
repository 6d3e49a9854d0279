package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A route that throws, or answers null, is seen: the client gets a 500 and a close, the
 * failure is logged once with the connection's addresses, and the server's error hook hears it.
 */
@Timeout(60)
class RouteFailureTest {

    private static final IllegalStateException BOOM = new IllegalStateException("a route failed on purpose");

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRouteThatThrowsGetsA500AndIsLoggedAndReported(Transport transport) throws Exception {
        Failure failure = run(transport, "/boom");

        assertThat(failure.heard()).as("what the error hook heard").isSameAs(BOOM);
        assertThat(failure.logged()).contains("the route for GET /boom failed on the connection /127.0.0.1:")
                .contains("answered 500").endsWith("<- " + BOOM);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRouteThatAnswersNullGetsA500AndIsLoggedAndReported(Transport transport) throws Exception {
        Failure failure = run(transport, "/nothing");

        assertThat(failure.heard()).as("what the error hook heard").isInstanceOf(IllegalStateException.class)
                .hasMessage("the route for GET /nothing returned no response (null)");
        assertThat(failure.logged()).contains("the route for GET /nothing failed on the connection /127.0.0.1:")
                .contains("returned no response (null)");
    }

    private record Failure(Throwable heard, String logged) {
    }

    private static Failure run(Transport transport, String path) throws Exception {
        CompletableFuture<Throwable> heard = new CompletableFuture<>();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport)
                        .route("GET", "/boom", request -> {
                            throw BOOM;
                        })
                        .route("GET", "/nothing", request -> null)
                        .onError((connection, error) -> heard.complete(error))
                        .build().start();
                RawHttp client = RawHttp.connect(server)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");

            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Connection")).isEqualTo("close");
            client.assertClosedByServer();
            Throwable error = heard.get(RawHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(warnings.lines()).as("warnings logged").hasSize(1);
            return new Failure(error, warnings.lines().get(0));
        }
    }
}
