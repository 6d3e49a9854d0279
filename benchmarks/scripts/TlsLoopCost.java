import com.sun.management.ThreadMXBean;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import io.jepoll.tls.SelfSignedCertificate;
import io.jepoll.tls.TlsContext;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What one HTTP request costs the loop thread of a jepoll ET server over TLS (or plain), measured
 * inside one JVM with the thread's own counters: bytes allocated and CPU time per request, for
 * keep-alive {@code GET /} sent one at a time or DEPTH pipelined per write by an SSLSocket
 * client. Three rounds of 80,000 requests; the last is the one to read (the first two warm up).
 *
 * <p>usage, after {@code mvn -B package -DskipTests -pl java}:
 * {@code java -cp java/target/classes:JNA_JAR benchmarks/scripts/TlsLoopCost.java tls|plain DEPTH}
 */
public final class TlsLoopCost {

    private static final int REQUESTS_PER_ROUND = 80_000;
    /** The answer to {@code GET /}: its length is all the client needs. */
    private static final int ANSWER_BYTES = ("HTTP/1.1 200 OK\r\nServer: jepoll\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 6\r\nDate: Mon, 07 Dec 2026 09:14:37 GMT\r\n\r\nhello\n").length();

    public static void main(String[] args) throws Exception {
        boolean tls = args[0].equals("tls");
        int depth = Integer.parseInt(args[1]);
        SelfSignedCertificate certificate = SelfSignedCertificate.create(Files.createTempDirectory("tls-loop-cost"));
        HttpServer.Builder builder = HttpServer.builder().transport(Transport.EPOLL_ET).builtInRoutes();
        if (tls) {
            builder.tls(TlsContext.server().certificate(certificate.certificate(), certificate.privateKey()).build());
        }
        try (HttpServer server = builder.build().start();
                Socket socket = connect(server.port(), tls ? trusting(certificate) : null)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            byte[] requests = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(depth).getBytes(StandardCharsets.US_ASCII);
            byte[] answers = new byte[ANSWER_BYTES * depth];
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("jepoll-et")).findFirst().orElseThrow();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            int batches = REQUESTS_PER_ROUND / depth;
            for (int round = 0; round < 3; round++) {
                long allocated = threads.getThreadAllocatedBytes(loop.getId());
                long cpu = threads.getThreadCpuTime(loop.getId());
                for (int i = 0; i < batches; i++) {
                    out.write(requests);
                    out.flush();
                    for (int got = 0; got < answers.length; ) {
                        int n = in.read(answers, got, answers.length - got);
                        if (n < 0) {
                            throw new EOFException("the server closed the connection");
                        }
                        got += n;
                    }
                }
                double requestsDone = batches * (double) depth;
                System.out.printf("%s, %d per write, round %d: %.1f bytes allocated and %.2f us CPU per request on the"
                        + " loop thread%n", tls ? "TLS" : "plain", depth, round,
                        (threads.getThreadAllocatedBytes(loop.getId()) - allocated) / requestsDone,
                        (threads.getThreadCpuTime(loop.getId()) - cpu) / 1000.0 / requestsDone);
            }
        }
    }

    private static Socket connect(int port, SSLContext tls) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        if (tls == null) {
            return socket;
        }
        SSLSocket encrypted = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", port, true);
        encrypted.startHandshake();
        return encrypted;
    }

    private static SSLContext trusting(SelfSignedCertificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate.certificate())) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
