package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.LoggedWarnings;
import io.jepoll.TestTls;
import io.jepoll.http.HttpRequest;
import io.jepoll.http.HttpResponse;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutual TLS on every transport: a server that requires client certificates refuses a client
 * without one in the handshake and hands the verified certificate of one with it to the
 * handler; one that only asks serves both, and tells them apart.
 */
@Timeout(60)
class MutualTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path clientDirectory;
    private static SelfSignedCertificate clientCertificate;

    @BeforeAll
    static void makeTheClientsCertificate() throws IOException {
        clientCertificate = SelfSignedCertificate.create(clientDirectory);
    }

    private static HttpServer server(Transport transport, TlsContext.ClientAuth mode) throws IOException {
        assumeAvailable(transport);
        TlsContext tls = TlsContext.server().certificate(TestTls.certificate(), TestTls.privateKey())
                .clientAuth(mode, clientCertificate.certificate()).build();
        return HttpServer.builder().transport(transport).tls(tls).route("GET", "/who", MutualTlsTest::who).build().start();
    }

    /** The subject of the client's verified certificate, or "anonymous". */
    private static HttpResponse who(HttpRequest request) {
        SSLSession session = request.tlsSession();
        try {
            return HttpResponse.text(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return HttpResponse.text("anonymous");
        }
    }

    private static HttpClient client(boolean withCertificate) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(withCertificate ? KeyMaterial.fromPem(clientCertificate.certificate(), clientCertificate.privateKey())
                    : null, KeyMaterial.trusting(TestTls.certificate()), null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).connectTimeout(TIMEOUT)
                .build();
    }

    private static java.net.http.HttpResponse<String> get(HttpClient client, HttpServer server) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/who"))
                .timeout(TIMEOUT).build(), BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRequiredCertificateReachesTheHandlerAndItsAbsenceIsRefused(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = server(transport, TlsContext.ClientAuth.REQUIRED)) {
            var known = get(client(true), server);
            Throwable anonymous = catchThrowable(() -> get(client(false), server));

            assertThat(known.body()).isEqualTo("CN=localhost");
            assertThat(anonymous).as("a client without a certificate").isInstanceOf(IOException.class);
            assertThat(warnings.lines()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOptionalCertificateIsCheckedWhenGiven(Transport transport) throws Exception {
        try (HttpServer server = server(transport, TlsContext.ClientAuth.OPTIONAL)) {
            assertThat(get(client(true), server).body()).isEqualTo("CN=localhost");
            assertThat(get(client(false), server).body()).isEqualTo("anonymous");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void jepollsClientPresentsItsCertificate(Transport transport) throws Exception {
        TlsContext withCertificate = TlsContext.client().trust(TestTls.certificate())
                .certificate(clientCertificate.certificate(), clientCertificate.privateKey()).build();
        TcpClient client = TcpClient.builder().transport(transport).tls(withCertificate).build().start();
        try (HttpServer server = server(transport, TlsContext.ClientAuth.REQUIRED)) {
            AnswerReader reader = new AnswerReader();
            Connection connection = TlsEchoTest.get(client.connect(server.localAddress(), reader));
            connection.execute(() -> connection.write(ByteBuffer.wrap(
                    "GET /who HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));

            assertThat(TlsEchoTest.get(reader.answer)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nCN=localhost");
        } finally {
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTrustFileThatIsNotACertificateFailsStartNamingIt(Transport transport, @TempDir Path dir) throws Exception {
        Path notACertificate = Files.writeString(dir.resolve("clients.pem"), "not a certificate\n");
        TlsContext tls = TlsContext.server().certificate(TestTls.certificate(), TestTls.privateKey())
                .clientAuth(TlsContext.ClientAuth.REQUIRED, notACertificate).build();
        assumeAvailable(transport);
        HttpServer server = HttpServer.builder().transport(transport).tls(tls).builtInRoutes().build();

        assertThat(catchThrowable(server::start)).isInstanceOf(IOException.class).hasMessageContaining(notACertificate.toString());
    }

    /** Collects an answer until the server closes. */
    private static final class AnswerReader implements Handler {
        private final StringBuilder read = new StringBuilder();
        final CompletableFuture<String> answer = new CompletableFuture<>();

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            read.append(new String(bytes, StandardCharsets.US_ASCII));
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            answer.complete(read.toString());
        }
    }
}
