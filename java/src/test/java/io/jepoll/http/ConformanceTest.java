package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.EchoClients;
import io.jepoll.http.RawHttp.Response;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 / RFC 9110 conformance of the HTTP/1.1 server, case by case: raw request bytes in,
 * the status (or statuses, for pipelined requests) out, and then either the connection is still
 * usable (a second request on it is answered) or the server has closed it (EOF, with nothing
 * after the expected responses). Every case runs on every transport against one server per
 * transport, reused across cases.
 */
@Timeout(30)
class ConformanceTest {

    private static final String H = "Host: x\r\n";
    private static final String SMUGGLED = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
    /** The body limit of the small server, where a chunked body can pass the limit quickly. */
    private static final int SMALL_BODY_LIMIT = 1024;

    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(t -> builder(t, HttpLimits.defaults()));
    private static final RawHttp.Servers SMALL_SERVERS = new RawHttp.Servers(
            t -> builder(t, HttpLimits.defaults().withMaxBodyBytes(SMALL_BODY_LIMIT)));

    /** Checks on the responses of one case, beyond their statuses. */
    @FunctionalInterface
    interface Check {
        void verify(List<Response> responses);
    }

    /**
     * One conformance case.
     *
     * @param statuses for each expected response in order, the statuses allowed
     * @param open whether the connection must stay usable afterwards (else: closed by the server)
     * @param small whether it runs on the server with a {@value #SMALL_BODY_LIMIT}-byte body limit
     */
    record Case(String name, byte[] request, List<Set<Integer>> statuses, boolean open, boolean small, Check check) {

        Case onSmallServer() {
            return new Case(name, request, statuses, open, true, check);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ---------------------------------------------------------------- case builders

    /** One response with {@code status}; the connection stays open. */
    private static Case open(String name, String request, int status, Check check) {
        return new Case(name, RawHttp.bytes(request), List.of(Set.of(status)), true, false, check);
    }

    /** One response with {@code status}; then the server closes the connection. */
    private static Case closes(String name, String request, int status, Check check) {
        return new Case(name, RawHttp.bytes(request), List.of(Set.of(status)), false, false, check);
    }

    /** Refused: one error response with one of {@code statuses} and Connection: close, then EOF. */
    private static Case refused(String name, String request, Integer... statuses) {
        return new Case(name, RawHttp.bytes(request), List.of(Set.of(statuses)), false, false,
                responses -> assertThat(responses.get(0).header("Connection")).as("Connection header of the error")
                        .isEqualToIgnoringCase("close"));
    }

    private static Case pipelined(String name, String request, boolean open, int... statuses) {
        List<Set<Integer>> expected = IntStream.of(statuses).mapToObj(Set::of).collect(Collectors.toList());
        return new Case(name, RawHttp.bytes(request), expected, open, false, responses -> {
        });
    }

    private static Check body(String expected) {
        return responses -> assertThat(responses.get(0).bodyText()).as("body").isEqualTo(expected);
    }

    private static Check header(String name, String expected) {
        return responses -> assertThat(responses.get(0).header(name)).as("header %s", name)
                .isEqualToIgnoringCase(expected);
    }

    private static Check all(Check... checks) {
        return responses -> {
            for (Check check : checks) {
                check.verify(responses);
            }
        };
    }

    private static final Check NOTHING = responses -> {
    };

    /** A request with a Content-Length body. */
    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\n" + H + headers + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String chunked(String path, String chunks) {
        return "POST " + path + " HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n" + chunks;
    }

    private static String withHeader(String headerLine) {
        return "GET / HTTP/1.1\r\n" + H + headerLine + "\r\n\r\n";
    }

    private static String withContentLength(String value) {
        return "POST /echo HTTP/1.1\r\n" + H + "Content-Length: " + value + "\r\n\r\nhello";
    }

    // ---------------------------------------------------------------- the cases

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();

        // Valid requests: RFC 9112 sections 2, 3, 6, 9; RFC 9110 sections 9, 15.
        cases.add(open("GET / keep-alive by default", "GET / HTTP/1.1\r\n" + H + "\r\n", 200, all(body("hello\n"),
                header("Content-Type", "text/plain"), header("Content-Length", "6"),
                r -> assertThat(r.get(0).header("Connection")).as("Connection header").isNull())));
        cases.add(open("GET /plaintext", "GET /plaintext HTTP/1.1\r\n" + H + "\r\n", 200, body("Hello, World!")));
        cases.add(closes("HTTP/1.0 closes after the response", "GET / HTTP/1.0\r\n\r\n", 200,
                all(body("hello\n"), header("Connection", "close"))));
        cases.add(open("HTTP/1.0 Connection: keep-alive stays open",
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200,
                all(body("hello\n"), header("Connection", "keep-alive"))));
        cases.add(open("HTTP/1.0 Connection: Keep-Alive in any case",
                "GET /plaintext HTTP/1.0\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n", 200,
                header("Connection", "keep-alive")));
        cases.add(closes("HTTP/1.1 Connection: close closes", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n",
                200, all(body("hello\n"), header("Connection", "close"))));
        cases.add(closes("Connection: CLOSE in any case", "GET / HTTP/1.1\r\n" + H + "Connection: CLOSE\r\n\r\n",
                200, header("Connection", "close")));
        cases.add(closes("Connection: close among other options",
                "GET / HTTP/1.1\r\n" + H + "Connection: keep-alive, close\r\n\r\n", 200,
                header("Connection", "close")));
        cases.add(open("leading CRLF before the request line", "\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 200,
                body("hello\n")));
        cases.add(open("several leading CRLFs", "\r\n\r\n\r\nGET /plaintext HTTP/1.1\r\n" + H + "\r\n", 200,
                body("Hello, World!")));
        cases.add(open("absolute-form target routed by path", "GET http://x/plaintext HTTP/1.1\r\n" + H + "\r\n",
                200, body("Hello, World!")));
        cases.add(open("absolute-form with port, query, upper-case scheme and another Host",
                "GET HTTP://example.com:8080/plaintext?q=1 HTTP/1.1\r\nHost: other\r\n\r\n", 200,
                body("Hello, World!")));
        cases.add(open("absolute-form without a path is /", "GET http://example.com HTTP/1.1\r\n" + H + "\r\n",
                200, body("hello\n")));
        cases.add(new Case("OPTIONS * is a valid request", RawHttp.bytes("OPTIONS * HTTP/1.1\r\n" + H + "\r\n"),
                List.of(Set.of(200, 204, 404)), true, false, NOTHING));
        cases.add(open("query string ignored by routing", "GET /plaintext?x=1&y=%20z HTTP/1.1\r\n" + H + "\r\n",
                200, body("Hello, World!")));
        cases.add(open("empty query", "GET /plaintext? HTTP/1.1\r\n" + H + "\r\n", 200, body("Hello, World!")));
        cases.add(open("HEAD /plaintext: GET's headers, no body", "HEAD /plaintext HTTP/1.1\r\n" + H + "\r\n", 200,
                all(header("Content-Length", "13"), header("Content-Type", "text/plain"), body(""))));
        cases.add(open("HEAD /", "HEAD / HTTP/1.1\r\n" + H + "\r\n", 200, header("Content-Length", "6")));
        cases.add(open("HEAD of an unknown path: 404 without a body", "HEAD /nope HTTP/1.1\r\n" + H + "\r\n", 404,
                body("")));
        cases.add(open("404 for an unknown path", "GET /nope HTTP/1.1\r\n" + H + "\r\n", 404, NOTHING));
        cases.add(open("404: paths are case-sensitive", "GET /PLAINTEXT HTTP/1.1\r\n" + H + "\r\n", 404, NOTHING));
        cases.add(open("405 with Allow for DELETE on a GET route", "DELETE /plaintext HTTP/1.1\r\n" + H + "\r\n",
                405, header("Allow", "GET, HEAD")));
        cases.add(open("405 with Allow for POST on a GET route", post("/", "", "ab"), 405,
                header("Allow", "GET, HEAD")));
        cases.add(open("405 with Allow for GET on a POST route", "GET /echo HTTP/1.1\r\n" + H + "\r\n", 405,
                header("Allow", "POST")));
        cases.add(open("POST /echo with Content-Length", post("/echo", "Content-Type: text/x-test\r\n", "hello world"),
                200, all(body("hello world"), header("Content-Type", "text/x-test"),
                        header("Content-Length", "11"))));
        cases.add(open("POST /echo without Content-Type", post("/echo", "", "abc"), 200,
                all(body("abc"), header("Content-Type", "application/octet-stream"))));
        String requestLike = "\r\n\0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
        cases.add(open("POST /echo body that looks like a request is only a body", post("/echo", "", requestLike),
                200, body(requestLike)));
        cases.add(open("POST /echo without a body", "POST /echo HTTP/1.1\r\n" + H + "\r\n", 200,
                all(body(""), header("Content-Length", "0"))));
        cases.add(open("POST /echo Content-Length: 0", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
                200, body("")));
        cases.add(open("Content-Length with leading zeros", withContentLength("005"), 200, body("hello")));
        cases.add(open("chunked body", chunked("/echo", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), 200,
                all(body("hello world"), header("Content-Length", "11"))));
        cases.add(open("chunked body with extensions and trailers", chunked("/echo",
                "5;a=b;c=\"d e\"\r\nhello\r\n1 ; x\r\n!\r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"), 200,
                body("hello!")));
        cases.add(open("chunk sizes in upper case with leading zeros",
                chunked("/echo", "00A\r\n0123456789\r\n0000\r\n\r\n"), 200, body("0123456789")));
        cases.add(open("Transfer-Encoding value in any case",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 200,
                body("ok")));
        cases.add(open("404 reads and drops the Content-Length body", post("/nope", "", requestLike), 404, NOTHING));
        cases.add(open("405 reads and drops the chunked body", chunked("/plaintext", "3\r\nabc\r\n0\r\n\r\n"), 405,
                NOTHING));
        cases.add(open("GET with a body: the body is read and dropped",
                "GET / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello", 200, body("hello\n")));
        cases.add(open("header value: OWS trimmed, obs-text allowed", withHeader("X-A: \t va\u00e9lue \t"), 200,
                NOTHING));
        cases.add(open("header names in any case", "GET / HTTP/1.1\r\nhOsT: x\r\n\r\n", 200, NOTHING));
        cases.add(open("empty header value", withHeader("X-Empty:"), 200, NOTHING));
        cases.add(open("empty Host value", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200, NOTHING));
        cases.add(open("HTTP/1.2 is answered as HTTP/1.1", "GET / HTTP/1.2\r\n" + H + "\r\n", 200, body("hello\n")));
        cases.add(open("Expect: 100-continue in HTTP/1.0 is ignored",
                "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
                200, body("hi")));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n" + H);
        for (int i = 1; i < 256; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        cases.add(open("256 header lines are accepted (at least 128, as nginx and Go take)", many + "\r\n", 200,
                NOTHING));
        cases.add(open("Content-Length with leading zeros: the value counts, not the digits",
                "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 000000000000000000005\r\n\r\nhello", 200,
                body("hello")));
        cases.add(open("a chunk size with leading zeros past 16 digits",
                chunked("/echo", "000000000000000000005\r\nhello\r\n0\r\n\r\n"), 200, body("hello")));
        cases.add(open("a head just under 32 KiB is accepted",
                withHeader("X-Big: " + "b".repeat(32 * 1024 - 200)), 200, NOTHING));
        cases.add(open("a request line just under 8 KiB is accepted",
                "GET /plaintext?" + "q".repeat(8 * 1024 - 100) + " HTTP/1.1\r\n" + H + "\r\n", 200,
                body("Hello, World!")));
        cases.add(pipelined("two pipelined requests in one write", "GET / HTTP/1.1\r\n" + H + "\r\n"
                + post("/echo", "", "abc"), true, 200, 200));
        cases.add(pipelined("a valid request, then a malformed one: answered, refused, closed",
                "GET / HTTP/1.1\r\n" + H + "\r\nGET / HTTP/1.1\r\n\r\n" + SMUGGLED, false, 200, 400));
        cases.add(pipelined("an extra CRLF after a body, before the next request, is tolerated",
                post("/echo", "", "abc") + "\r\n" + "GET / HTTP/1.1\r\n" + H + "\r\n", true, 200, 200));
        cases.add(open("an Upgrade: h2c offer is ignored", "GET / HTTP/1.1\r\n" + H
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n",
                200, body("hello\n")));
        cases.add(closes("a handler that throws: 500 and close", "GET /boom HTTP/1.1\r\n" + H + "\r\n", 500,
                header("Connection", "close")));

        // Malformed request lines: RFC 9112 section 3.
        cases.add(refused("two spaces after the method", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("two spaces before the version", "GET /  HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("space after the version", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400));
        cases.add(refused("space before the method", " GET / HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("missing version", "GET /\r\n" + H + "\r\n", 400));
        cases.add(refused("missing version after a space", "GET / \r\n" + H + "\r\n", 400));
        cases.add(refused("missing target", "GET HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("lower-case http/1.1", "GET / http/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("version without minor digit", "GET / HTTP/1\r\n" + H + "\r\n", 400));
        cases.add(refused("version with extra digits", "GET / HTTP/1.1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("tabs as separators", "GET\t/\tHTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("space inside the target", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("non-ASCII byte in the target", "GET /\u00ff HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("control byte in the target", "GET /\u0001 HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("target neither origin- nor absolute-form", "GET plaintext HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("asterisk-form outside OPTIONS", "GET * HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("absolute-form without a host", "GET http:///plaintext HTTP/1.1\r\n" + H + "\r\n", 400));
        cases.add(refused("non-token byte in the method", "G@T / HTTP/1.1\r\n" + H + "\r\n", 400));

        // Malformed header sections: RFC 9112 sections 2.2, 5; RFC 9110 section 5.
        cases.add(refused("space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400));
        cases.add(refused("tab before the colon", withHeader("X-A\t: v"), 400));
        cases.add(refused("obs-fold with a space", withHeader("X-A: a\r\n b"), 400));
        cases.add(refused("obs-fold with a tab", withHeader("X-A: a\r\n\tb"), 400));
        cases.add(refused("whitespace before the first header line", "GET / HTTP/1.1\r\n " + H + "\r\n", 400));
        cases.add(refused("bare CR inside a header value", withHeader("X-A: a\rb"), 400));
        cases.add(refused("bare CR before CRLF", withHeader("X-A: a\r"), 400));
        cases.add(refused("bare LF line endings throughout", "GET / HTTP/1.1\nHost: x\n\n", 400));
        cases.add(refused("bare LF after the request line", "GET / HTTP/1.1\n" + H + "\r\n", 400));
        cases.add(refused("bare LF after a header line", "GET / HTTP/1.1\r\nHost: x\n\r\n", 400));
        cases.add(refused("NUL in a header value", withHeader("X-A: a\0b"), 400));
        cases.add(refused("control byte in a header value", withHeader("X-A: a\u0001b"), 400));
        cases.add(refused("DEL in a header value", withHeader("X-A: a\u007fb"), 400));
        cases.add(refused("space inside a header name", withHeader("Fo o: x"), 400));
        cases.add(refused("@ in a header name", withHeader("Foo@: x"), 400));
        cases.add(refused("parentheses in a header name", withHeader("(x): x"), 400));
        cases.add(refused("slash in a header name", withHeader("Foo/Bar: x"), 400));
        cases.add(refused("non-ASCII in a header name", withHeader("F\u00fc: x"), 400));
        cases.add(refused("empty header name", withHeader(": x"), 400));
        cases.add(refused("header line without a colon", withHeader("NoColon"), 400));
        cases.add(refused("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400));
        cases.add(refused("duplicate Host", "GET / HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 400));
        cases.add(refused("duplicate Host in another case", "GET / HTTP/1.1\r\nHost: x\r\nhost: y\r\n\r\n", 400));
        cases.add(refused("Host with a space inside (RFC 9112 3.2)", "GET / HTTP/1.1\r\nHost: exa mple\r\n\r\n", 400));
        cases.add(refused("Host with a path (RFC 9112 3.2)", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n", 400));
        cases.add(new Case("error answering HEAD has no body (RFC 9110 9.3.2)",
                RawHttp.bytes("HEAD / HTTP/1.1\r\n\r\n"), List.of(Set.of(400)), false, false,
                header("Connection", "close")));

        // Content-Length: RFC 9110 section 8.6, RFC 9112 section 6.3.
        for (String bad : List.of("abc", "-1", "1 2", "+5", "99999999999999999999", "", "0x5", "5,5", "5, 5",
                "1.0")) {
            cases.add(refused("invalid Content-Length '" + bad + "'", withContentLength(bad), 400));
        }
        cases.add(refused("duplicate Content-Length with equal values",
                "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400));
        cases.add(refused("duplicate Content-Length with different values",
                "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400));

        // Transfer-Encoding: RFC 9112 sections 6.1, 6.3, 7.
        cases.add(refused("Content-Length and Transfer-Encoding",
                "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                400));
        cases.add(refused("Transfer-Encoding in HTTP/1.0",
                "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        cases.add(refused("chunked twice in one field",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400));
        cases.add(refused("chunked twice in two fields", "POST /echo HTTP/1.1\r\n" + H
                + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        cases.add(refused("chunked not the final coding (RFC 9112 6.3)",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400));
        cases.add(refused("empty Transfer-Encoding",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n\r\n", 400));
        cases.add(refused("unknown transfer coding gzip: 501",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", 501));
        cases.add(refused("unknown coding before chunked: 501",
                "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501));

        // Chunked bodies: RFC 9112 section 7.1.
        cases.add(refused("chunk size not hex", chunked("/echo", "zz\r\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("empty chunk size", chunked("/echo", "\r\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("negative chunk size", chunked("/echo", "-5\r\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("space before the chunk size", chunked("/echo", " 5\r\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("16 hex digits of chunk size", chunked("/echo", "ffffffffffffffff\r\nhello\r\n"), 400));
        cases.add(refused("17 hex digits of chunk size", chunked("/echo", "10000000000000005\r\nhello\r\n"), 400));
        cases.add(refused("chunk data longer than its size", chunked("/echo", "3\r\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("missing CRLF after chunk data", chunked("/echo", "5\r\nhello0\r\n\r\n"), 400));
        cases.add(refused("bare LF after a chunk size", chunked("/echo", "5\nhello\r\n0\r\n\r\n"), 400));
        cases.add(refused("control byte in a chunk extension", chunked("/echo", "5;\u0001\r\nhello\r\n0\r\n\r\n"),
                400));
        cases.add(refused("malformed trailer", chunked("/echo", "0\r\nBad Trailer\r\n\r\n"), 400));
        cases.add(refused("obs-fold in a trailer", chunked("/echo", "0\r\nX-T: a\r\n b\r\n\r\n"), 400));

        // Methods, versions, expectations.
        cases.add(refused("unknown method FOO: 501", "FOO / HTTP/1.1\r\n" + H + "\r\n", 501));
        cases.add(refused("CONNECT: 501", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 501));
        cases.add(refused("methods are case-sensitive: get is unknown", "get / HTTP/1.1\r\n" + H + "\r\n", 501));
        cases.add(refused("HTTP/2.0: 505", "GET / HTTP/2.0\r\n" + H + "\r\n", 505));
        cases.add(refused("HTTP/3.0: 505", "GET / HTTP/3.0\r\n" + H + "\r\n", 505));
        cases.add(refused("unknown expectation: 417", post("/echo", "Expect: something-else\r\n", "hi"), 417));

        // Limits: HttpLimits.
        cases.add(refused("request line over 8 KiB: 414",
                "GET /" + "a".repeat(8 * 1024 + 100) + " HTTP/1.1\r\n" + H + "\r\n", 414));
        cases.add(refused("head over 32 KiB: 431", withHeader("X-Big: " + "b".repeat(33 * 1024)), 431));
        cases.add(refused("257 header lines: 431", many + "X-H256: v\r\n\r\n", 431));
        cases.add(refused("Content-Length past 63 bits: 400", withContentLength("99999999999999999999"), 400));
        cases.add(refused("Content-Length over 8 MiB: 413", withContentLength("8388609"), 413));
        cases.add(refused("Content-Length over 8 MiB with Expect: 413, no 100 first",
                "POST /echo HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 9000000\r\n\r\n", 413));
        cases.add(refused("Content-Length over the limit of a small server: 413",
                withContentLength(String.valueOf(SMALL_BODY_LIMIT + 1)), 413).onSmallServer());
        cases.add(refused("chunked body growing past the limit: 413", chunked("/echo",
                "258\r\n" + "x".repeat(600) + "\r\n258\r\n" + "y".repeat(600) + "\r\n0\r\n\r\n"), 413)
                .onSmallServer());
        cases.add(refused("one chunk declared past the limit: 413", chunked("/echo", "100000\r\nxyz"), 413)
                .onSmallServer());
        cases.add(open("chunked body exactly at the limit", chunked("/echo",
                "200\r\n" + "x".repeat(512) + "\r\n200\r\n" + "y".repeat(512) + "\r\n0\r\n\r\n"), 200,
                header("Content-Length", String.valueOf(SMALL_BODY_LIMIT))).onSmallServer());

        // Request smuggling shapes: exactly one error, then EOF; the second request is never answered.
        cases.add(refused("smuggling: Content-Length then Transfer-Encoding", "POST /echo HTTP/1.1\r\n" + H
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: Transfer-Encoding then Content-Length", "POST /echo HTTP/1.1\r\n" + H
                + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: two Content-Lengths", "POST /echo HTTP/1.1\r\n" + H
                + "Content-Length: 0\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: chunk size overflowing 64 bits to 0",
                chunked("/echo", "10000000000000000\r\n\r\n" + SMUGGLED), 400));
        cases.add(refused("smuggling: space before the colon of Transfer-Encoding", "POST /echo HTTP/1.1\r\n" + H
                + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: Transfer-Encoding folded onto the next line", "POST /echo HTTP/1.1\r\n" + H
                + "Content-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: xchunked with Content-Length", "POST /echo HTTP/1.1\r\n" + H
                + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED, 400, 501));
        cases.add(refused("smuggling: chunked in HTTP/1.0 keep-alive", "POST /echo HTTP/1.0\r\n"
                + "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400));
        cases.add(refused("smuggling: bare LF ends a chunk", chunked("/echo", "5\r\nhello\n0\r\n\r\n" + SMUGGLED),
                400));
        cases.add(refused("smuggling: Content-Length with a sign", "POST /echo HTTP/1.1\r\n" + H
                + "Content-Length: +0\r\n\r\n" + SMUGGLED, 400));
        return cases;
    }

    static Stream<Arguments> transportsAndCases() {
        List<Case> cases = cases();
        return Stream.of(Transport.values()).flatMap(t -> cases.stream().map(c -> Arguments.of(t, c)));
    }

    // ---------------------------------------------------------------- running them

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("transportsAndCases")
    void conforms(Transport transport, Case c) throws Exception {
        try {
            run(server(transport, c.small()), c);
        } catch (AssertionError e) {
            throw new AssertionError("[" + transport + "] " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private static void run(HttpServer server, Case c) throws Exception {
        try (RawHttp client = RawHttp.connect(server)) {
            client.send(c.request());
            boolean head = new String(c.request(), 0, Math.min(8, c.request().length), StandardCharsets.ISO_8859_1)
                    .stripLeading().startsWith("HEAD ");
            List<Response> responses = new ArrayList<>();
            for (Set<Integer> allowed : c.statuses()) {
                Response response = client.read(head);
                assertThat(response.status()).as("status of response %d: %s", responses.size() + 1, response)
                        .isIn(allowed);
                assertThat(response.header("Server")).as("Server header").isEqualTo("jepoll");
                assertThat(response.header("Date")).as("Date header").isNotBlank();
                assertThat(response.count("Content-Length")).as("Content-Length headers").isEqualTo(1);
                responses.add(response);
            }
            c.check().verify(responses);
            if (c.open()) {
                assertThat(responses.get(responses.size() - 1).header("Connection")).as("Connection header")
                        .isNotEqualToIgnoringCase("close");
                client.assertStillOpen();
            } else {
                client.assertClosedByServer();
            }
        }
    }

    /** RFC 9110 10.1.1: the client waits for 100 Continue before it sends the body. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void expectContinueWithContentLength(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(server(transport, false))) {
            client.send("POST /echo HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            Response interim = client.read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(interim.headers()).isEmpty();
            client.send("hello");
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
            client.assertStillOpen();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void expectContinueWithChunkedBody(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(server(transport, false))) {
            client.send("POST /echo HTTP/1.1\r\n" + H + "Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(client.read().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            client.send("4\r\nabcd\r\n0\r\n\r\n");
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abcd");
            client.assertStillOpen();
        }
    }

    /** No body to wait for: the final response comes without a 100 before it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void expectContinueWithoutBodyGetsOnlyTheFinalResponse(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(server(transport, false))) {
            client.send("GET / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\n\r\n");
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello\n");
            client.assertStillOpen();
        }
    }

    /** A client that half-closes after its request still gets the answer, then EOF. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestThenHalfCloseIsAnsweredThenClosed(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(server(transport, false))) {
            client.send("GET /plaintext HTTP/1.1\r\n" + H + "\r\n");
            client.shutdownOutput();
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("Hello, World!");
            client.assertClosedByServer();
        }
    }

    /**
     * A client that sends a whole body past the limit reads the 413, not a reset: the server
     * drains what still arrives before it closes (HttpConnection's linger).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyPastTheLimitSentWholeGets413ThenEof(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(server(transport, true))) {
            byte[] body = new byte[256 * 1024];
            Arrays.fill(body, (byte) 'z');
            CompletableFuture<Void> writer = EchoClients.inBackground("oversized-body-writer", () -> {
                try {
                    client.send("POST /echo HTTP/1.1\r\n" + H + "Content-Length: " + body.length + "\r\n\r\n");
                    client.send(body);
                } catch (IOException e) {
                    // The server may close before it has read everything; the response is what counts.
                }
            });
            Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
            writer.get(RawHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Another connection never notices a peer's bad request. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusedConnectionDoesNotDisturbAnother(Transport transport) throws Exception {
        HttpServer server = server(transport, false);
        try (RawHttp good = RawHttp.connect(server); RawHttp bad = RawHttp.connect(server)) {
            good.send("GET /plaintext HTTP/1.1\r\n" + H + "\r\n");
            assertThat(good.read().status()).isEqualTo(200);
            bad.send("GET / HTTP/1.1\r\nHost : x\r\n\r\n");
            assertThat(bad.read().status()).isEqualTo(400);
            bad.assertClosedByServer();
            good.assertStillOpen();
        }
    }

    // ---------------------------------------------------------------- servers

    private static HttpServer server(Transport transport, boolean small) throws IOException {
        return (small ? SMALL_SERVERS : SERVERS).get(transport);
    }

    private static HttpServer.Builder builder(Transport transport, HttpLimits limits) {
        return RawHttp.builder(transport).limits(limits).route("GET", "/boom", request -> {
            throw new IllegalStateException("a handler failed on purpose");
        });
    }

    @AfterAll
    static void closeServers() {
        SERVERS.close();
        SMALL_SERVERS.close();
    }
}
