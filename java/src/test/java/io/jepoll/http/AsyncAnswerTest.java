package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Answers that come later, on every transport: from a stage completed on another thread, from a
 * blocking route on its executor, from {@code GET /delay}; the loop answers other connections
 * meanwhile, pipelined answers keep their order, and a failed stage is a failing route.
 */
@Timeout(60)
class AsyncAnswerTest {

    private static final ExecutorService OTHER_THREADS = Executors.newCachedThreadPool();
    private static final List<Throwable> REPORTED = new CopyOnWriteArrayList<>();
    /** Released by each test when it wants the held answers to come. */
    private static volatile CountDownLatch release = new CountDownLatch(0);

    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(transport -> RawHttp.builder(transport)
            .onError((connection, error) -> REPORTED.add(error))
            .routeAsync("GET", "/held", request -> {
                String who = request.queryParam("who");
                return CompletableFuture.supplyAsync(() -> {
                    await(release);
                    return HttpResponse.text("held " + who + "\n");
                }, OTHER_THREADS);
            })
            .routeAsync("GET", "/soon", request -> CompletableFuture.supplyAsync(
                    () -> HttpResponse.text("soon " + request.queryParam("n") + "\n"), OTHER_THREADS))
            .routeAsync("GET", "/fails", request -> CompletableFuture.failedFuture(
                    new IllegalStateException("the database is down")))
            .routeAsync("GET", "/refuses", request -> CompletableFuture.failedFuture(
                    new BadRequestException("no such item")))
            .routeBlocking("GET", "/blocking", request -> {
                await(release);
                return HttpResponse.text("blocked on " + Thread.currentThread().isDaemon() + "\n");
            }));

    @AfterAll
    static void closeServers() {
        SERVERS.close();
        OTHER_THREADS.shutdownNow();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void whileAnAnswerIsHeldTheLoopServesOtherConnections(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        release = new CountDownLatch(1);
        try (RawHttp waiting = RawHttp.connect(server); RawHttp blocking = RawHttp.connect(server);
                RawHttp other = RawHttp.connect(server)) {
            waiting.send("GET /held?who=a HTTP/1.1\r\nHost: x\r\n\r\n");
            blocking.send("GET /blocking HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(other.read().text()).isEqualTo("hello\n");
            }
            release.countDown();
            assertThat(waiting.read().text()).isEqualTo("held a\n");
            assertThat(blocking.read().text()).startsWith("blocked on ");
            waiting.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(waiting.read().text()).as("the connection goes on after a later answer")
                    .isEqualTo("hello\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pipelinedAnswersKeepTheirOrderWhateverCompletesFirst(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        release = new CountDownLatch(1);
        StringBuilder requests = new StringBuilder("GET /held?who=first HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int n = 0; n < 20; n++) {
            requests.append(n % 2 == 0 ? "GET /soon?n=" + n + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    : "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttp client = RawHttp.connect(server)) {
            client.send(requests.toString());
            OTHER_THREADS.submit(() -> {
                Thread.sleep(200);
                release.countDown();
                return null;
            });
            assertThat(client.read().text()).isEqualTo("held first\n");
            for (int n = 0; n < 20; n++) {
                assertThat(client.read().text()).as("answer %d", n + 1)
                        .isEqualTo(n % 2 == 0 ? "soon " + n + "\n" : "Hello, World!");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFailedStageIsA500ReportedAndLoggedAndAClose(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        REPORTED.clear();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                RawHttp client = RawHttp.connect(server)) {
            client.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response answer = client.read();
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.header("Connection")).isEqualTo("close");
            client.assertClosedByServer();
            assertThat(REPORTED).singleElement().satisfies(error ->
                    assertThat(error).hasMessage("the database is down"));
            assertThat(warnings.lines()).anySatisfy(line -> assertThat(line).contains("GET /fails"));
        }
        try (RawHttp client = RawHttp.connect(server)) {
            client.send("GET /refuses HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).as("a stage failed with BadRequestException").isEqualTo(400);
        }
    }

    /** The timers still run while an answer is pending: one that never comes holds the connection no longer than the idle timeout. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAnswerThatNeverComesEndsAtTheIdleTimeout(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport)
                .limits(HttpLimits.defaults().withIdleTimeout(java.time.Duration.ofMillis(300)))
                .routeAsync("GET", "/never", request -> new CompletableFuture<HttpResponse>())
                .build().start();
                RawHttp client = RawHttp.connect(server)) {
            client.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.closedByServer()).as("closed, with no answer").isTrue();
        }
    }

    /** {@code /delay} answers from a loop timer: many at once on one loop all finish about together. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void manyDelayedRequestsOnOneLoopAllFinish(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RawHttp client = RawHttp.connect(server);
                clients.add(client);
                client.send("GET /delay?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            for (RawHttp client : clients) {
                assertThat(client.read().text()).isEqualTo("delayed 300 ms\n");
            }
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
        try (RawHttp client = RawHttp.connect(server)) {
            client.send("GET /delay?ms=soon HTTP/1.1\r\nHost: x\r\n\r\nGET /delay?ms=60001 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.read().status()).isEqualTo(400);
        }
    }
}
