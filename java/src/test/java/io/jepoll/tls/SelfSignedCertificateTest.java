package io.jepoll.tls;

import static io.jepoll.tls.KeyTools.certificates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path dir;

    @Test
    void writesAP256CertificateForLocalhostAndItsKey() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.create(dir);

        assertThat(generated.certificate()).isEqualTo(dir.resolve("cert.pem")).isRegularFile();
        assertThat(generated.privateKey()).isEqualTo(dir.resolve("key.pem")).isRegularFile();
        assertThat(Files.readString(generated.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("keytool's files are gone")
                    .containsExactlyInAnyOrder(generated.certificate(), generated.privateKey());
        }

        X509Certificate certificate = certificates(generated.certificate()).get(0);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                key -> assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256));
        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        Instant now = Instant.now();
        assertThat(certificate.getNotBefore().toInstant())
                .isBetween(now.minus(Duration.ofHours(25)), now.minus(Duration.ofHours(23)));
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(365));

        KeyMaterial.fromPem(generated.certificate(), generated.privateKey());
    }

    @Test
    void theKeyIsReadableByItsOwnerOnlyAlsoWhenReplaced() throws Exception {
        Files.writeString(dir.resolve("key.pem"), "an older key");
        Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-rw-rw-"));

        SelfSignedCertificate generated = SelfSignedCertificate.create(dir);

        assertThat(Files.getPosixFilePermissions(generated.privateKey()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(generated.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        KeyMaterial.fromPem(generated.certificate(), generated.privateKey());
    }

    @Test
    void eachCallMakesANewKey() throws Exception {
        Path first = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("a"))).privateKey();
        Path second = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("b"))).privateKey();

        assertThat(Files.readString(first)).isNotEqualTo(Files.readString(second));
    }

    @Test
    void javasHttpClientTrustsItGivenTheCertificateAndOnlyThen() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.create(dir);

        try (HelloServer server = new HelloServer(generated)) {
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, KeyMaterial.trusting(generated.certificate()), null);
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> response = HttpClient.newBuilder().sslContext(trusting).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                    .as("the JDK's default trust store does not know it").isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void curlTrustsItAsItsCaCertificate() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        SelfSignedCertificate generated = SelfSignedCertificate.create(dir);

        try (HelloServer server = new HelloServer(generated)) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "--silent", "--show-error",
                        "--max-time", "10", "--cacert", generated.certificate().toString(),
                        "--resolve", "localhost:" + server.port() + ":127.0.0.1",
                        "https://" + host + ":" + server.port() + "/"));
                Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
                assertThat(curl.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
                String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(curl.exitValue()).as("curl's exit status for %s; its output: %s", host, output).isZero();
                assertThat(output).isEqualTo("hello");
            }
        }
    }

    /** Answers every HTTPS connection on 127.0.0.1 with "hello", using KeyMaterial's key managers. */
    private static final class HelloServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;

        HelloServer(SelfSignedCertificate certificate) throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(KeyMaterial.fromPem(certificate.certificate(), certificate.privateKey()), null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            acceptor = new Thread(this::serve, "hello-server");
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket connection = (SSLSocket) socket.accept()) {
                    connection.setSoTimeout(10_000);
                    InputStream in = connection.getInputStream();
                    int matched = 0;
                    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (matched < end.length) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // A client that refused the certificate, or the socket closed by close().
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(10_000);
        }
    }
}
