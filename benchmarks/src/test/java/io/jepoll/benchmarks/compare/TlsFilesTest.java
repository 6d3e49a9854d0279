package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {

    @Test
    void opensslMakesAnEcdsaP256CertificateForLocalhostAndItsKey(@TempDir Path dir) throws Exception {
        Optional<Path> openssl = Tools.find("openssl");
        assumeTrue(openssl.isPresent(), "openssl is not installed: the https benchmark's certificate needs it");

        TlsFiles files = TlsFiles.make(openssl.get(), dir.resolve("tls"));

        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(files.certificate())) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(Files.readString(files.key())).contains("-----BEGIN PRIVATE KEY-----");
    }
}
