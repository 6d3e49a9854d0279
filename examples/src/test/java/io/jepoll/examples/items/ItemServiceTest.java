package io.jepoll.examples.items;

import static io.jepoll.examples.Transports.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The item service through the JDK's HTTP client over real sockets on 127.0.0.1, on every transport. */
@Timeout(60)
class ItemServiceTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void healthSaysUpAndNamesTheTransport(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = ItemService.start(0, transport)) {
            HttpResponse<String> response = send(server, "GET", "/health", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"status\":\"up\",\"transport\":\"" + transport.shortName() + "\"}");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void itemsAreCreatedListedReadAndDeleted(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = ItemService.start(0, transport)) {
            HttpResponse<String> created = send(server, "POST", "/items", "pen");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue("/items?id=1");
            assertThat(created.body()).isEqualTo("{\"id\":1,\"name\":\"pen\"}");

            assertThat(send(server, "POST", "/items", "a \"quoted\" \\ name").body())
                    .isEqualTo("{\"id\":2,\"name\":\"a \\\"quoted\\\" \\\\ name\"}");
            assertThat(send(server, "GET", "/items", null).body())
                    .isEqualTo("{\"items\":[{\"id\":1,\"name\":\"pen\"},{\"id\":2,\"name\":\"a \\\"quoted\\\" \\\\ name\"}]}");
            assertThat(send(server, "GET", "/items?id=1", null).body()).isEqualTo("{\"id\":1,\"name\":\"pen\"}");

            assertThat(send(server, "DELETE", "/items?id=1", null).statusCode()).isEqualTo(204);
            HttpResponse<String> gone = send(server, "GET", "/items?id=1", null);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.body()).isEqualTo("{\"error\":\"no item 1\"}");
            assertThat(send(server, "DELETE", "/items?id=1", null).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void badIdsAndNamesGetA400SayingWhy(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = ItemService.start(0, transport)) {
            HttpResponse<String> badId = send(server, "GET", "/items?id=seven", null);
            assertThat(badId.statusCode()).isEqualTo(400);
            assertThat(badId.body()).isEqualTo("{\"error\":\"expected the query ?id=<number>, got id=seven\"}");

            HttpResponse<String> noName = send(server, "POST", "/items", "");
            assertThat(noName.statusCode()).isEqualTo(400);
            assertThat(noName.body()).isEqualTo("{\"error\":\"the body must be the item's name\"}");

            HttpResponse<String> longName = send(server, "POST", "/items", "n".repeat(ItemService.MAX_NAME_BYTES + 1));
            assertThat(longName.statusCode()).isEqualTo(400);
            assertThat(longName.body()).isEqualTo("{\"error\":\"a name has at most 200 bytes\"}");

            assertThat(send(server, "POST", "/items", "two\nlines").statusCode()).isEqualTo(400);
            assertThat(send(server, "GET", "/items", null).body()).isEqualTo("{\"items\":[]}");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void jepollAnswersUnknownPathsWith404AndOtherMethodsWith405(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = ItemService.start(0, transport)) {
            HttpResponse<String> unknown = send(server, "GET", "/items/1", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("404 Not Found\n");

            HttpResponse<String> put = send(server, "PUT", "/items", "pen");
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST, DELETE, HEAD");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void jepollAnswersAMalformedRequestWith400AndCloses(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (HttpServer server = ItemService.start(0, transport); Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));

            assertThat(in.readLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            String line;
            boolean closeAnnounced = false;
            while ((line = in.readLine()) != null) {
                closeAnnounced |= line.equalsIgnoreCase("Connection: close");
            }
            assertThat(closeAnnounced).as("Connection: close in the response").isTrue();
        }
    }

    private static HttpResponse<String> send(HttpServer server, String method, String target, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; charset=utf-8")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .build();
        return CLIENT.send(request, BodyHandlers.ofString());
    }
}
