package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Renewed certificates without a restart: {@link TlsContext#load()} makes new handshakes use the
 * files as they are now, connections already open keep theirs, and files that cannot be used
 * fail the load (and a server's start) with the file named, leaving the keys in use.
 */
@Timeout(60)
class TlsReloadTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void newHandshakesUseReloadedFilesAndOpenConnectionsGoOn(Transport transport, @TempDir Path dir) throws Exception {
        assumeAvailable(transport);
        SelfSignedCertificate first = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("first")));
        SelfSignedCertificate second = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("second")));
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        install(first, chain, key);
        TlsContext tls = TlsContext.server().certificate(chain, key).build();
        try (TcpServer server = TcpServer.builder().transport(transport).tls(tls).handler(EchoHandler::new).build().start();
                SSLSocket before = connect(server, dir)) {
            assertThat(publicKey(before)).isEqualTo(publicKey(first));

            install(second, chain, key);
            server.tls().load();

            try (SSLSocket after = connect(server, dir)) {
                assertThat(publicKey(after)).isEqualTo(publicKey(second));
            }
            assertThat(EchoClients.echo(before, new byte[] {1, 2, 3}, false)).as("the connection from before")
                    .containsExactly(1, 2, 3);

            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
            assertThat(catchThrowable(tls::load)).isInstanceOf(IOException.class).hasMessageContaining(key.toString());
            try (SSLSocket afterAFailedLoad = connect(server, dir)) {
                assertThat(publicKey(afterAFailedLoad)).as("the keys in use after a failed load").isEqualTo(publicKey(second));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aKeyThatDoesNotMatchItsCertificateFailsStartAndLeavesNothingListening(Transport transport, @TempDir Path dir)
            throws Exception {
        assumeAvailable(transport);
        SelfSignedCertificate first = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("first")));
        SelfSignedCertificate second = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("second")));
        TlsContext mismatched = TlsContext.server().certificate(first.certificate(), second.privateKey()).build();
        TcpServer server = TcpServer.builder().transport(transport).tls(mismatched).handler(EchoHandler::new).build();

        Throwable failure = catchThrowable(server::start);

        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining(second.privateKey().toString());
        assertThat(server.loops()).as("loops started for a server that could not start").isNull();
    }

    private static void install(SelfSignedCertificate pair, Path chain, Path key) throws IOException {
        Files.copy(pair.certificate(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A client trusting both certificates (in dir/first and dir/second): the test looks at which one it gets. */
    private static SSLSocket connect(TcpServer server, Path dir) throws Exception {
        Path both = dir.resolve("both.pem");
        if (!Files.exists(both)) {
            Files.writeString(both, Files.readString(dir.resolve("first/cert.pem")) + Files.readString(dir.resolve("second/cert.pem")));
        }
        SSLContext trustingBoth = SSLContext.getInstance("TLS");
        trustingBoth.init(null, KeyMaterial.trusting(both), null);
        Socket plain = new Socket("127.0.0.1", server.port());
        plain.setSoTimeout((int) EchoClients.WAIT.toMillis());
        SSLSocket socket = (SSLSocket) trustingBoth.getSocketFactory().createSocket(plain, "localhost", server.port(), true);
        socket.startHandshake();
        return socket;
    }

    private static PublicKey publicKey(SSLSocket socket) throws Exception {
        return socket.getSession().getPeerCertificates()[0].getPublicKey();
    }

    private static PublicKey publicKey(SelfSignedCertificate pair) throws Exception {
        X509Certificate certificate = KeyTools.certificates(pair.certificate()).get(0);
        return certificate.getPublicKey();
    }
}
