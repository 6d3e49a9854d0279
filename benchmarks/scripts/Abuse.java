import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The abuse a soak sprinkles over an HTTP server, one attack every 100 ms for a given time:
 * a slowloris head, random bytes, an oversized head, a reset mid-request, a reset mid-response.
 * Prints, at the end, each attack kind with how the server ended it. An attack the server
 * answers with a success, or leaves hanging, counts as an error.
 *
 * <p>usage: {@code java benchmarks/scripts/Abuse.java PORT SECONDS}
 */
public final class Abuse {

    private static final int READ_TIMEOUT_MS = 15_000;
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        Random random = new Random(1);
        ExecutorService attackers = Executors.newFixedThreadPool(64);
        for (int i = 0; System.nanoTime() < end; i++) {
            int kind = i % 5;
            long seed = random.nextLong();
            attackers.execute(() -> attack(server, kind, seed));
            Thread.sleep(100);
        }
        attackers.shutdown();
        attackers.awaitTermination(60, TimeUnit.SECONDS);
        synchronized (OUTCOMES) {
            OUTCOMES.forEach((outcome, count) -> System.out.printf("abuse %-40s %d%n", outcome, count));
        }
    }

    private static void attack(InetSocketAddress server, int kind, long seed) {
        String name = switch (kind) {
            case 0 -> "slowloris";
            case 1 -> "random-bytes";
            case 2 -> "oversized-head";
            case 3 -> "reset-mid-request";
            default -> "reset-mid-response";
        };
        String outcome;
        try (Socket socket = new Socket()) {
            socket.connect(server, 5000);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            switch (kind) {
                case 0 -> {
                    out.write(ascii("GET / HTTP/1.1\r\nHost: soak\r\nX-Slow: "));
                    outcome = trickleUntilClosed(socket);
                }
                case 1 -> {
                    byte[] garbage = new byte[1024];
                    new Random(seed).nextBytes(garbage);
                    outcome = sendAndRead(socket, garbage);
                }
                case 2 -> outcome = sendAndRead(socket,
                        ascii("GET / HTTP/1.1\r\nHost: soak\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\n\r\n"));
                case 3 -> {
                    socket.setSoLinger(true, 0);
                    out.write(ascii("POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: 100\r\n\r\nhalf"));
                    outcome = "reset sent";
                }
                default -> {
                    socket.setSoLinger(true, 0);
                    byte[] body = new byte[512 * 1024];
                    out.write(ascii("POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: " + body.length + "\r\n\r\n"));
                    out.write(body);
                    outcome = socket.getInputStream().read() == 'H' ? "reset sent mid-response" : "ERROR no response";
                }
            }
        } catch (IOException e) {
            outcome = "ERROR " + e.getClass().getSimpleName();
        }
        synchronized (OUTCOMES) {
            OUTCOMES.merge(name + ": " + outcome, 1, Integer::sum);
        }
    }

    /** A byte every 500 ms until the server closes (its header timeout) or 60 s pass. */
    private static String trickleUntilClosed(Socket socket) throws IOException {
        for (int i = 0; i < 120; i++) {
            try {
                socket.getOutputStream().write('s');
            } catch (SocketException closed) {
                return "closed by the server";
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return "ERROR interrupted";
            }
            if (socket.getInputStream().available() > 0) {
                return "ERROR answered";
            }
        }
        return "ERROR still open after 60 s";
    }

    /** Garbage gets an error status and a close, or a close; a success or a hang is an error. */
    private static String sendAndRead(Socket socket, byte[] bytes) throws IOException {
        try {
            socket.getOutputStream().write(bytes);
        } catch (SocketException closedWhileWriting) {
            return "closed while sending";
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
            for (int b = in.read(); b >= 0 && answer.size() < 64; b = in.read()) {
                answer.write(b);
            }
        } catch (SocketTimeoutException e) {
            return "ERROR neither answered nor closed";
        } catch (SocketException reset) {
            return answer.size() == 0 ? "reset" : status(answer) + " then reset";
        }
        return answer.size() == 0 ? "closed" : status(answer);
    }

    private static String status(ByteArrayOutputStream answer) {
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        return text.matches("(?s)HTTP/1\\.1 [45]\\d\\d.*") ? "answered " + text.substring(9, 12) : "ERROR answered "
                + text.substring(0, Math.min(12, text.length()));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
