package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.proxy.ProxyHeaders;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The access log, on every transport: a line per answered request in the documented format, with
 * the client the PROXY protocol named and the balancer beside it, the body's bytes (none for HEAD,
 * a streamed body's as it went), and a refused request's status.
 */
@Timeout(60)
class AccessLogTest {

    /** Client, two dashes, time, request line, status, body bytes, microseconds, peer. */
    private static final Pattern LINE = Pattern.compile(
            "(\\S+) - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000] \"([^\"]*)\" (\\d{3}) (\\d+) (\\d+) (\\S+)");

    private static Matcher parsed(String line) {
        Matcher matcher = LINE.matcher(line);
        assertThat(matcher.matches()).as("an access log line: %s", line).isTrue();
        return matcher;
    }

    /** The line logged for the {@code n}th request (from 1), once it is there. */
    private static Matcher line(List<String> lines, int n) throws InterruptedException {
        RawHttp.awaitTrue(n + " access log lines", () -> lines.size() >= n);
        return parsed(lines.get(n - 1));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLineNamesTheProxiedClientTheRequestItsAnswerAndTheBalancer(Transport transport) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (HttpServer server = ProxyProtocolHttpTest.proxied(transport).accessLog(lines::add).build().start();
                RawHttp connection = RawHttp.connect(server)) {
            String balancer = "127.0.0.1:" + connection.socket().getLocalPort();
            connection.send(ProxyHeaders.v1Tcp4()).send("GET /plaintext?a=%22b HTTP/1.1\r\nHost: a\r\n\r\n").read();
            connection.send("HEAD /plaintext HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            connection.send("POST /stream-echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").read();
            connection.send("GET /plaintext HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n").read();

            Matcher get = line(lines, 1);
            assertThat(get.group(1)).isEqualTo("203.0.113.7");
            assertThat(get.group(2)).isEqualTo("GET /plaintext?a=%22b HTTP/1.1");
            assertThat(get.group(3)).isEqualTo("200");
            assertThat(get.group(4)).isEqualTo("13");
            assertThat(Long.parseLong(get.group(5))).as("microseconds").isLessThan(RawHttp.TIMEOUT.toNanos() / 1000);
            assertThat(get.group(6)).isEqualTo(balancer);
            Matcher head = line(lines, 2);
            assertThat(head.group(2) + " " + head.group(3) + " " + head.group(4)).isEqualTo("HEAD /plaintext HTTP/1.1 200 0");
            Matcher streamed = line(lines, 3);
            assertThat(streamed.group(2) + " " + streamed.group(3) + " " + streamed.group(4))
                    .isEqualTo("POST /stream-echo HTTP/1.1 200 7");
            Matcher refused = line(lines, 4);
            assertThat(refused.group(1) + " \"" + refused.group(2) + "\" " + refused.group(3))
                    .isEqualTo("203.0.113.7 \"-\" 400");
            assertThat(lines).hasSize(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutABalancerThePeerIsTheClientAndThePeerFieldADash(Transport transport) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (HttpServer server = RawHttp.builder(transport).accessLog(lines::add).build().start();
                RawHttp connection = RawHttp.connect(server)) {
            connection.send("GET / HTTP/1.0\r\n\r\n").read();

            Matcher line = line(lines, 1);
            assertThat(line.group(1)).isEqualTo("127.0.0.1");
            assertThat(line.group(2) + " " + line.group(3) + " " + line.group(4)).isEqualTo("GET / HTTP/1.0 200 6");
            assertThat(line.group(6)).isEqualTo("-");
        }
    }
}
