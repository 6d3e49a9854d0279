package io.jepoll;

import io.jepoll.loop.Transport;
import io.jepoll.tls.SelfSignedCertificate;
import io.jepoll.tls.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One self-signed certificate for localhost and 127.0.0.1 per test JVM, and what the tests need
 * around it: a server's {@link TlsContext}, a client's, and an {@link SSLContext} that trusts it
 * for the JDK's own clients (SSLSocket, HttpClient).
 */
public final class TestTls {

    private static final SelfSignedCertificate CERTIFICATE = create();
    /** One for all the JDK clients, so that their sessions are resumed, as a browser's are. */
    private static final SSLContext CLIENT = trusting();

    private TestTls() {
    }

    private static SelfSignedCertificate create() {
        try {
            Path directory = Files.createTempDirectory("jepoll-tls-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory)));
            return SelfSignedCertificate.create(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every transport, over plain TCP and over TLS: for the tests whose protocol and abuse must fare the same either way. */
    public static Stream<Arguments> transportsPlainAndTls() {
        return Stream.of(Transport.values()).flatMap(transport -> Stream.of(
                Arguments.of(transport, false), Arguments.of(transport, true)));
    }

    /** {@return the certificate's PEM file, for clients told to trust it (curl --cacert, openssl -CAfile)} */
    public static Path certificate() {
        return CERTIFICATE.certificate();
    }

    /** {@return the key's PEM file} */
    public static Path privateKey() {
        return CERTIFICATE.privateKey();
    }

    /** {@return a server's context with the certificate, not loaded: servers load it when they start} */
    public static TlsContext server() {
        return TlsContext.server().certificate(certificate(), privateKey()).build();
    }

    /** {@return a client's context trusting the certificate, not loaded} */
    public static TlsContext client() {
        return TlsContext.client().trust(certificate()).build();
    }

    /** {@return an SSLContext for the JDK's clients, trusting the certificate; one for the whole JVM} */
    public static SSLContext clientSslContext() {
        return CLIENT;
    }

    private static SSLContext trusting() {
        try (InputStream in = Files.newInputStream(certificate())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the test certificate", e);
        }
    }

    /**
     * TLS over {@code socket}, connected to {@code address}, with the handshake done; closing it
     * closes {@code socket}.
     */
    public static SSLSocket over(Socket socket, InetSocketAddress address) throws IOException {
        SSLSocket tls = (SSLSocket) CLIENT.getSocketFactory().createSocket(socket, address.getHostString(),
                address.getPort(), true);
        tls.startHandshake();
        return tls;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is no failure.
        }
    }
}
