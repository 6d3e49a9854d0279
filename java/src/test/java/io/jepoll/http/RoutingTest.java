package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routes a service needs, on every transport: path parameters and prefix routes in their order
 * of precedence, decoded query and form parameters, the client's address, a custom not-found
 * answer, {@code OPTIONS *}, and 400 for what does not decode.
 */
@Timeout(60)
class RoutingTest {

    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(transport -> RawHttp.builder(transport)
            .route("GET", "/{kind}/{id}", request -> text("any " + request.pathParam("kind") + " "
                    + request.pathParam("id")))
            .route("GET", "/users/{id}", request -> text("user " + request.pathParam("id")))
            .route("DELETE", "/users/{name}", request -> text("deleted " + request.pathParam("name")))
            .route("GET", "/users/me", request -> text("me"))
            .route("GET", "/users/{id}/posts/{post}", request -> text("post " + request.pathParam("post")
                    + " of " + request.pathParam("id")))
            .route("GET", "/static/*", request -> text("static " + request.pathParam("*")))
            .route("GET", "/static/deep/*", request -> text("deep " + request.pathParam("*")))
            .route("PUT", "/files/*", request -> text("put " + request.pathParam("*")))
            .route("GET", "/search", request -> text(request.queryParams().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))
                    + " | first q: " + request.queryParam("q")))
            .route("POST", "/form", request -> text(String.valueOf(request.formParams())))
            .route("GET", "/whoami", request -> text(request.remoteAddress() + " -> " + request.localAddress()))
            .route("GET", "/strict", request -> {
                throw new BadRequestException("the handler refuses this request");
            })
            .notFound(request -> HttpResponse.of(404, "text/plain; charset=utf-8",
                    ("no " + request.path() + " here\n").getBytes(StandardCharsets.UTF_8))));

    @AfterAll
    static void closeServers() {
        SERVERS.close();
    }

    private static HttpResponse text(String body) {
        return HttpResponse.text(body);
    }

    private static RawHttp.Response get(Transport transport, String target) throws Exception {
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            RawHttp.Response response = client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
            client.assertStillOpen();
            return response;
        }
    }

    private static String body(Transport transport, String target) throws Exception {
        RawHttp.Response response = get(transport, target);
        assertThat(response.status()).as("status of GET %s: %s", target, response).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(RawHttp.TIMEOUT).build();
    }

    private static java.net.http.HttpRequest.Builder request(Transport transport, String target) throws Exception {
        return java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVERS.get(transport).port()
                + target)).timeout(RawHttp.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pathParametersAreDecodedAndExactPathsComeFirst(Transport transport) throws Exception {
        assertThat(body(transport, "/users/42")).isEqualTo("user 42");
        assertThat(body(transport, "/users/me")).as("the exact route before /users/{id}").isEqualTo("me");
        assertThat(body(transport, "/users/caf%C3%A9%20au%2Flait+x")).as("UTF-8, an encoded /, a plain +")
                .isEqualTo("user café au/lait+x");
        assertThat(body(transport, "/users/7/posts/3")).isEqualTo("post 3 of 7");
        assertThat(body(transport, "/books/9")).as("fewer literal segments, though declared first")
                .isEqualTo("any books 9");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aParameterIsOneNonEmptySegment(Transport transport) throws Exception {
        assertThat(get(transport, "/users/").status()).isEqualTo(404);
        assertThat(get(transport, "/users/7/").status()).isEqualTo(404);
        assertThat(get(transport, "/users/7/posts").status()).isEqualTo(404);
        RawHttp.Response missing = get(transport, "/a/b/c/d");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).as("the custom not-found answer").isEqualTo("no /a/b/c/d here\n");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void prefixRoutesTakeTheRestOfThePathLongestPrefixFirst(Transport transport) throws Exception {
        assertThat(body(transport, "/static/css/site%20main.css")).isEqualTo("static css/site main.css");
        assertThat(body(transport, "/static/")).isEqualTo("static ");
        assertThat(body(transport, "/static/deep/x/y")).isEqualTo("deep x/y");
        assertThat(body(transport, "/static/deeper/x")).isEqualTo("static deeper/x");
        assertThat(body(transport, "/static/x")).as("/{kind}/{id}, a pattern, before a prefix route")
                .isEqualTo("any static x");
        assertThat(get(transport, "/static").status()).as("the prefix is /static/").isEqualTo(404);
    }

    /** DELETE /users/me: the exact route has no DELETE, so the next route that matches answers. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theFirstRouteWithTheMethodAnswersAndOtherwise405ListsWhatTheMatchingRoutesAccept(Transport transport)
            throws Exception {
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            client.send("DELETE /users/me HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response deleted = client.read();
            assertThat(deleted.bodyText()).isEqualTo("deleted me");

            client.send("POST /users/me HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
            RawHttp.Response notAllowed = client.read();
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, DELETE, HEAD");

            client.send("GET /files/a/b HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response prefix = client.read();
            assertThat(prefix.status()).isEqualTo(405);
            assertThat(prefix.header("Allow")).isEqualTo("PUT");

            client.send("HEAD /users/5 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response head = client.read(true);
            assertThat(head.status()).as("HEAD answered by the GET pattern").isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("user 5".length()));
            client.assertStillOpen();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedEscapesInAPathParameterAre400AndTheConnectionStays(Transport transport) throws Exception {
        for (String target : new String[] {"/users/%zz", "/users/50%", "/users/%4", "/users/%FF", "/static/x/%C3"}) {
            assertThat(get(transport, target).status()).as("GET %s", target).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void queryParametersAreDecodedInOrder(Transport transport) throws Exception {
        String q = URLEncoder.encode("naïve café & co=1", StandardCharsets.UTF_8);
        var response = client().send(request(transport, "/search?q=" + q + "&tag=a+b&tag=%E2%82%AC&flag&q=second")
                .build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("q=[naïve café & co=1, second] tag=[a b, €] flag=[]"
                + " | first q: naïve café & co=1");
        assertThat(body(transport, "/search")).isEqualTo(" | first q: null");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedQueriesAre400(Transport transport) throws Exception {
        assertThat(get(transport, "/search?q=%G1").status()).isEqualTo(400);
        assertThat(get(transport, "/search?q=%C3%28").status()).as("not UTF-8").isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void formBodiesAreDecoded(Transport transport) throws Exception {
        String form = "name=" + URLEncoder.encode("Zoë Ünal", StandardCharsets.UTF_8) + "&note=1%2B1+%3D+2&empty=";
        var response = client().send(request(transport, "/form")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(BodyPublishers.ofString(form)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{name=[Zoë Ünal], note=[1+1 = 2], empty=[]}");

        var notAForm = client().send(request(transport, "/form").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("a=1")).build(), BodyHandlers.ofString());
        assertThat(notAForm.body()).as("another content type has no form parameters").isEqualTo("{}");

        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            client.send("POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 5\r\n\r\na=%2x");
            assertThat(client.read().status()).isEqualTo(400);
            client.assertStillOpen();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerThrowingBadRequestGets400WithoutAWarning(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture()) {
            assertThat(get(transport, "/strict").status()).isEqualTo(400);
            assertThat(warnings.lines()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theRequestKnowsTheClientsAddress(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        try (RawHttp client = RawHttp.connect(server)) {
            RawHttp.Response response = client.send("GET /whoami HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.bodyText()).isEqualTo(client.socket().getLocalSocketAddress() + " -> "
                    + client.socket().getRemoteSocketAddress());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void optionsAsteriskListsEveryRoutesMethods(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            RawHttp.Response response = client.send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Allow")).isEqualTo("GET, POST, DELETE, PUT, HEAD, OPTIONS");
            assertThat(response.header("Content-Length")).isEqualTo("0");
            client.assertStillOpen();
        }
    }

    /** RFC 9110 section 9.1: methods are case-sensitive, and jepoll knows no method "get". */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLowerCaseMethodIsNotGet(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            RawHttp.Response response = client.send("get /users/me HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(501);
            client.assertClosedByServer();
        }
        assertThatThrownBy(() -> HttpServer.builder().route("get", "/", request -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("case-sensitive");
    }

    @Test
    void badRoutesAreRefusedWhenDeclared() {
        Map<String, String> refusals = Map.of(
                "/users/{id}/{id}", "appears twice",
                "/users/{}", "letters, digits and _",
                "/users/{a-b}", "letters, digits and _",
                "/static/*/x", "only be the last segment",
                "/users/{id}/*", "no {parameters}",
                "/users/x{id}", "a whole segment",
                "/users/{id", "a whole segment",
                "users/{id}", "starts with /");
        refusals.forEach((path, reason) -> assertThatThrownBy(() -> HttpServer.builder()
                .route("GET", path, request -> null)).as(path)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason));
    }
}
