package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restarting both backends behind a real HAProxy (the PROXY protocol v2 in front of each
 * connection, the health checks' too), one after the other, under load, fails no request: each backend drains (its health check turns 503, HAProxy stops sending it new
 * connections within the notice, requests under way are answered with {@code Connection: close})
 * and a new server binds the same port, which HAProxy's check brings back. The clients are
 * strict: a connection that ends without a whole answer counts as a failure, and a client
 * reconnects only after an answer that said {@code Connection: close} (its own, after
 * {@value #REQUESTS_PER_CONNECTION} requests, or the server's).
 */
@Timeout(120)
class RestartBehindHaproxyTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CONNECTION = 20;
    /** Several of HAProxy's checks (every 100 ms, one failure takes a server out). */
    private static final Duration NOTICE = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void restartingEachBackendUnderLoadFailsNoRequest(Transport transport) throws Exception {
        Backend[] backends = {Backend.start(transport, 0), Backend.start(transport, 0)};
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        int balancerPort = Haproxy.freePort();
        try (Haproxy haproxy = startHaproxy(balancerPort, backends[0].server.port(), backends[1].server.port())) {
            awaitAnswered(haproxy, new InetSocketAddress("127.0.0.1", balancerPort));
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> load(balancerPort, stop, answered, failures)));
            }
            for (int i = 0; i < backends.length; i++) {
                awaitTrue("answers from backend " + i, backends[i].hits, 100);
                int port = backends[i].server.port();
                assertThat(backends[i].server.drain(NOTICE, DEADLINE)).as("backend %d drained in time", i).isTrue();
                backends[i].server.close();
                backends[i] = Backend.start(transport, port);
                // HAProxy's check has found the new server healthy once the load reaches it.
                awaitTrue("answers from the restarted backend " + i, backends[i].hits, 100);
            }
            stop.set(true);
            for (Future<?> client : running) {
                client.get(30, TimeUnit.SECONDS);
            }

            assertThat(failures).as("failed requests through the restarts").isEmpty();
            assertThat(answered.get()).isGreaterThanOrEqualTo(400);
        } finally {
            stop.set(true);
            clients.shutdownNow();
            for (Backend backend : backends) {
                backend.server.close();
            }
        }
    }

    /** A server whose {@code GET /hello} counts its answers. */
    private record Backend(HttpServer server, AtomicLong hits) {
        static Backend start(Transport transport, int port) throws IOException {
            AtomicLong hits = new AtomicLong();
            HttpServer server = RawHttp.builder(transport).port(port).proxyProtocol(true).route("GET", "/hello", request -> {
                hits.incrementAndGet();
                return HttpResponse.text("hello\n");
            }).build().start();
            return new Backend(server, hits);
        }
    }

    /** A client of its own connection at a time: requests until told to stop, reconnecting only after a close. */
    private static void load(int port, AtomicBoolean stop, AtomicLong answered, Queue<String> failures) {
        InetSocketAddress balancer = new InetSocketAddress("127.0.0.1", port);
        while (!stop.get()) {
            try (RawHttp client = RawHttp.connect(balancer)) {
                boolean open = true;
                for (int request = 1; open && !stop.get(); request++) {
                    // Balancing is per connection: a client that kept one forever would never reach a restarted backend.
                    client.send("GET /hello HTTP/1.1\r\nHost: x\r\n"
                            + (request == REQUESTS_PER_CONNECTION ? "Connection: close\r\n\r\n" : "\r\n"));
                    RawHttp.Response response = client.read();
                    if (response.status() != 200 || !response.text().equals("hello\n")) {
                        failures.add("answered " + response.statusLine());
                    } else {
                        answered.incrementAndGet();
                    }
                    open = !"close".equals(response.header("Connection"));
                }
            } catch (IOException | AssertionError e) {
                failures.add(e.toString());
            }
        }
    }

    private Haproxy startHaproxy(int port, int first, int second) throws IOException {
        return Haproxy.start(dir,
                "defaults",
                "    mode tcp",
                "    timeout connect 1s",
                "    timeout client 10s",
                "    timeout server 10s",
                "    retries 3",
                "    option redispatch",
                "frontend balancer",
                "    bind 127.0.0.1:" + port,
                "    default_backend jepoll",
                "backend jepoll",
                "    balance roundrobin",
                "    option httpchk GET /health",
                "    http-check expect status 200",
                "    default-server inter 100ms fall 1 rise 1 send-proxy-v2 check-send-proxy",
                "    server first 127.0.0.1:" + first + " check",
                "    server second 127.0.0.1:" + second + " check");
    }

    /** HAProxy is up and has found a backend healthy: a request through it is answered. */
    private static void awaitAnswered(Haproxy haproxy, InetSocketAddress balancer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (RawHttp client = RawHttp.connect(balancer)) {
                client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                if (client.read().status() == 200) {
                    return;
                }
            } catch (IOException | AssertionError notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("HAProxy did not answer within 10 s; its log: "
                            + haproxy.log(), notYet);
                }
            }
            Thread.sleep(50);
        }
    }

    private static void awaitTrue(String what, AtomicLong count, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count.get() < atLeast) {
            assertThat(System.nanoTime() - deadline).as("%d %s within 20 s", atLeast, what).isNegative();
            Thread.sleep(10);
        }
    }
}
