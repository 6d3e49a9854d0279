package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A route that throws, or answers null, is seen: the client gets a 500 (or the error handler's
 * answer) and a close, the failure is logged once with the connection's addresses, and the
 * server's error hook hears it.
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

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theErrorHandlersAnswerReplacesThe500AfterTheLogAndTheHook(Transport transport) throws Exception {
        CompletableFuture<Throwable> heard = new CompletableFuture<>();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport)
                        .route("GET", "/boom", request -> {
                            throw BOOM;
                        })
                        .onError((connection, error) -> heard.complete(error))
                        .errorHandler((request, error) -> {
                            assertThat(heard).as("the hook heard first").isDone();
                            return HttpResponse.of(503, "text/plain", (request.path() + ": " + error.getMessage())
                                    .getBytes(StandardCharsets.US_ASCII));
                        })
                        .build().start();
                RawHttp client = RawHttp.connect(server)) {
            client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");

            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).isEqualTo("/boom: a route failed on purpose");
            assertThat(response.header("Connection")).isEqualTo("close");
            client.assertClosedByServer();
            assertThat(warnings.lines()).as("warnings logged").singleElement().asString()
                    .contains("the route for GET /boom failed").contains("answered by the error handler");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anErrorHandlerThatFailsGetsTheBuiltIn500AndIsLogged(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport)
                        .route("GET", "/nothing", request -> null)
                        .route("GET", "/boom", request -> {
                            throw BOOM;
                        })
                        .errorHandler((request, error) -> {
                            if (request.path().equals("/boom")) {
                                throw new IllegalStateException("the error handler failed on purpose");
                            }
                            return null;
                        })
                        .build().start()) {
            for (String path : new String[] {"/boom", "/nothing"}) {
                try (RawHttp client = RawHttp.connect(server)) {
                    client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    RawHttp.Response response = client.read();
                    assertThat(response.status()).as(path).isEqualTo(500);
                    assertThat(response.bodyText()).isEqualTo("500 Internal Server Error\n");
                    client.assertClosedByServer();
                }
            }
            assertThat(warnings.lines()).as("warnings logged").hasSize(4);
            assertThat(warnings.lines().get(1)).contains("the error handler failed for GET /boom; answered 500")
                    .endsWith("the error handler failed on purpose");
            assertThat(warnings.lines().get(3))
                    .contains("the error handler returned no response (null) for GET /nothing; answered 500");
        }
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
