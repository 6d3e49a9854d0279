import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peers that make an HTTP server hold memory for them: each POSTs a chunked body to /echo as fast
 * as the connection takes it and never reads the echo, so that the server buffers the body (up
 * to its body limit) while the answer cannot go. Prints, at the end, how many peers the server
 * closed (a write failing) out of how many ran.
 *
 * <p>usage: {@code java benchmarks/scripts/Hoarders.java PORT PEERS SECONDS}
 */
public final class Hoarders {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int peers = Integer.parseInt(args[1]);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicInteger closed = new AtomicInteger();
        Thread[] threads = new Thread[peers];
        for (int i = 0; i < peers; i++) {
            threads[i] = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setReceiveBufferSize(4096);
                    socket.setSoTimeout(1000);
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /echo HTTP/1.1\r\nHost: hoard\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    while (System.nanoTime() < end) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    closed.incrementAndGet();
                }
            });
            threads[i].setDaemon(true);
            threads[i].start();
        }
        // A writer blocked on a peer the server stopped reading returns only when the socket closes.
        TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
        Thread.sleep(500);
        System.out.printf("hoarders: %d peers, %d closed by the server%n", peers, closed.get());
        System.exit(0);
    }
}
