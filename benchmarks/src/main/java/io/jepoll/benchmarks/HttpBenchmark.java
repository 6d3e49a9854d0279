package io.jepoll.benchmarks;

import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A built-in route of jepoll's HTTP server ({@code GET /} unless asked), keep-alive, each connection
 * sending {@code pipeline} requests at a time (1: one request per round trip; 16: sixteen
 * written together, as wrk's pipelining script does). The clients are jepoll's own client loop
 * in the same JVM. Loop counters are per request, server side only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HttpBenchmark {

    /** The built-in routes measured: {@code GET /} by default; {@code -p route=POST_ECHO} adds a 64-byte echo. */
    public enum Route {
        GET_ROOT("GET / HTTP/1.1\r\nHost: bench\r\n\r\n"),
        POST_ECHO("POST /echo HTTP/1.1\r\nHost: bench\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n"
                + "0123456789abcdef".repeat(4));

        final byte[] request;

        Route(String request) {
            this.request = request.getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Param({"GET_ROOT"})
    public Route route;

    @Param({"EPOLL_ET", "EPOLL_LT", "NIO", "BLOCKING"})
    public Transport transport;

    @Param({"1", "16"})
    public int pipeline;

    @Param({"64"})
    public int connections;

    private HttpServer server;
    private WaveClient clients;

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = HttpServer.builder().host("127.0.0.1").port(0).transport(transport).builtInRoutes().build().start();
        ByteBuffer requests = ByteBuffer.allocateDirect(route.request.length * pipeline);
        for (int i = 0; i < pipeline; i++) {
            requests.put(route.request);
        }
        clients = new WaveClient(server.localAddress(), connections, requests, pipeline * responseLength());
        LoopCounts.watch(server::stats, Set.of(clients.loopThreadId()));
    }

    /** Every answer to the same request has the same length: the Date header's format is fixed-width. */
    private int responseLength() throws IOException {
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.getOutputStream().write(route.request);
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed before answering: " + head);
                }
                head.append((char) b);
            }
            int contentLength = head.toString().lines()
                    .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                    .mapToInt(line -> Integer.parseInt(line.substring(15).trim()))
                    .findFirst().orElseThrow(() -> new IOException("no Content-Length in " + head));
            return head.length() + contentLength;
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        clients.close();
        server.close();
    }

    @Benchmark
    public void get(LoopCounts counts, RoundTrips done) {
        clients.wave();
        counts.operations += (long) connections * pipeline;
        done.roundTrips += (long) connections * pipeline;
    }
}
