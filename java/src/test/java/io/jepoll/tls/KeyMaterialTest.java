package io.jepoll.tls;

import static io.jepoll.tls.KeyTools.certificates;
import static io.jepoll.tls.KeyTools.exportPem;
import static io.jepoll.tls.KeyTools.keytool;
import static io.jepoll.tls.KeyTools.keytoolKeyPair;
import static io.jepoll.tls.KeyTools.openssl;
import static io.jepoll.tls.KeyTools.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.LoggedWarnings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMaterialTest {

    private static final String PASSWORD = "secret-password";

    @TempDir
    Path dir;

    // Each key form loads, and the key manager serves the chain with a key that signs for it.

    @Test
    void pkcs8EcKey() throws Exception {
        selfSigned("ec", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertThat(Files.readString(dir.resolve("ec.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        assertServes(KeyMaterial.fromPem(dir.resolve("ec.pem"), dir.resolve("ec.key")), dir.resolve("ec.pem"));
    }

    @Test
    void pkcs8RsaKey() throws Exception {
        selfSigned("rsa", "-newkey", "rsa:2048");
        assertThat(Files.readString(dir.resolve("rsa.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        assertServes(KeyMaterial.fromPem(dir.resolve("rsa.pem"), dir.resolve("rsa.key")), dir.resolve("rsa.pem"));
    }

    @Test
    void pkcs8Ed25519Key() throws Exception {
        selfSigned("ed", "-newkey", "ed25519");

        assertServes(KeyMaterial.fromPem(dir.resolve("ed.pem"), dir.resolve("ed.key")), dir.resolve("ed.pem"));
    }

    @Test
    void pkcs1RsaKey() throws Exception {
        selfSigned("rsa", "-newkey", "rsa:2048");
        openssl(dir, "rsa", "-in", "rsa.key", "-traditional", "-out", "pkcs1.key");
        assertThat(Files.readString(dir.resolve("pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertServes(KeyMaterial.fromPem(dir.resolve("rsa.pem"), dir.resolve("pkcs1.key")), dir.resolve("rsa.pem"));
    }

    @Test
    void sec1EcKey() throws Exception {
        selfSigned("ec", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
        openssl(dir, "ec", "-in", "ec.key", "-out", "sec1.key");
        assertThat(Files.readString(dir.resolve("sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertServes(KeyMaterial.fromPem(dir.resolve("ec.pem"), dir.resolve("sec1.key")), dir.resolve("ec.pem"));
    }

    @Test
    void sec1EcKeyAfterItsParametersBlock() throws Exception {
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam.key");
        openssl(dir, "req", "-x509", "-key", "ecparam.key", "-out", "ecparam.pem", "-subj", "/CN=localhost",
                "-days", "30");
        assertThat(Files.readString(dir.resolve("ecparam.key"))).startsWith("-----BEGIN EC PARAMETERS-----")
                .contains("-----BEGIN EC PRIVATE KEY-----");

        assertServes(KeyMaterial.fromPem(dir.resolve("ecparam.pem"), dir.resolve("ecparam.key")),
                dir.resolve("ecparam.pem"));
    }

    @Test
    void pkcs12KeyStore() throws Exception {
        Path store = keytoolKeyPair(dir, "server.p12", "PKCS12", PASSWORD);
        exportPem(store, PASSWORD, dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertServes(KeyMaterial.fromKeyStore(store, PASSWORD.toCharArray()), dir.resolve("cert.pem"));
    }

    @Test
    void jksKeyStoreWhateverItsName() throws Exception {
        Path store = keytoolKeyPair(dir, "server.p12", "JKS", PASSWORD);
        Path exported = dir.resolve("exported.p12");
        keytool(dir, "-importkeystore", "-noprompt", "-srckeystore", store.toString(), "-srcstoretype", "JKS",
                "-srcstorepass", PASSWORD, "-destkeystore", exported.toString(), "-deststoretype", "PKCS12",
                "-deststorepass", PASSWORD);
        exportPem(exported, PASSWORD, dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertServes(KeyMaterial.fromKeyStore(store, PASSWORD.toCharArray()), dir.resolve("cert.pem"));
    }

    @Test
    void chainOfLeafAndIntermediateIsServedWholeAndTrustedByTheRoot() throws Exception {
        makeChain();

        assertServes(KeyMaterial.fromPem(dir.resolve("chain.pem"), dir.resolve("leaf.key")), dir.resolve("chain.pem"));
        X509Certificate[] chain = certificates(dir.resolve("chain.pem")).toArray(new X509Certificate[0]);
        assertThat(chain).hasSize(2);
        trustManager(KeyMaterial.trusting(dir.resolve("root.pem"))).checkServerTrusted(chain, "ECDHE_ECDSA");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=other", "-days", "30");
        assertThatThrownBy(() -> trustManager(KeyMaterial.trusting(dir.resolve("other.pem")))
                .checkServerTrusted(chain, "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
    }

    @Test
    void trustsEveryCertificateOfAPemBundle() throws Exception {
        SelfSignedCertificate first = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("first")));
        SelfSignedCertificate second = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("second")));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(first.certificate()) + Files.readString(second.certificate()));

        X509TrustManager trust = trustManager(KeyMaterial.trusting(bundle));

        assertThat(trust.getAcceptedIssuers()).containsExactlyInAnyOrder(
                certificates(first.certificate()).get(0), certificates(second.certificate()).get(0));
    }

    @Test
    void trustsTheCertificatesOfKeyStores() throws Exception {
        Path server = keytoolKeyPair(dir, "server.p12", "PKCS12", PASSWORD);
        keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", server.toString(),
                "-storepass", PASSWORD, "-file", "server.pem");
        X509Certificate certificate = certificates(dir.resolve("server.pem")).get(0);
        for (String type : List.of("PKCS12", "JKS")) {
            Path store = dir.resolve("trust-" + type);
            keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "server.pem", "-storetype", type,
                    "-keystore", store.toString(), "-storepass", PASSWORD);

            assertThat(trustManager(KeyMaterial.trusting(store, PASSWORD.toCharArray())).getAcceptedIssuers())
                    .as(type).containsExactly(certificate);
        }
        assertThat(trustManager(KeyMaterial.trusting(dir.resolve("trust-JKS"))).getAcceptedIssuers())
                .as("JKS, whose certificates are not encrypted, without its password").containsExactly(certificate);
        assertProblem(() -> KeyMaterial.trusting(dir.resolve("trust-PKCS12")), "trust-PKCS12",
                "no certificate readable without a password");
    }

    // Every failure names the file and the problem.

    @Test
    void keyOfAnotherCertificate() throws Exception {
        SelfSignedCertificate first = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("first")));
        SelfSignedCertificate second = SelfSignedCertificate.create(Files.createDirectory(dir.resolve("second")));

        assertProblem(() -> KeyMaterial.fromPem(first.certificate(), second.privateKey()),
                second.privateKey().toString(), "does not match the certificate", first.certificate().toString());
    }

    @Test
    void keyOfAnotherAlgorithm() throws Exception {
        selfSigned("rsa", "-newkey", "rsa:2048");
        SelfSignedCertificate ec = SelfSignedCertificate.create(dir);

        assertProblem(() -> KeyMaterial.fromPem(ec.certificate(), dir.resolve("rsa.key")), "rsa.key",
                "the private key (RSA) does not match the certificate CN=localhost (EC)");
    }

    @Test
    void missingEmptyAndGarbageFiles() throws Exception {
        SelfSignedCertificate good = SelfSignedCertificate.create(dir);
        Files.writeString(dir.resolve("empty.pem"), "");
        byte[] noise = new byte[300];
        new Random(1).nextBytes(noise);
        Files.write(dir.resolve("garbage.pem"), noise);

        assertProblem(() -> KeyMaterial.fromPem(dir.resolve("absent.pem"), good.privateKey()), "absent.pem",
                "no such file");
        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), dir.resolve("absent.key")), "absent.key",
                "no such file");
        assertProblem(() -> KeyMaterial.fromPem(dir.resolve("empty.pem"), good.privateKey()), "empty.pem",
                "the file is empty");
        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), dir.resolve("garbage.pem")), "garbage.pem",
                "not PEM");
        assertProblem(() -> KeyMaterial.trusting(dir.resolve("garbage.pem")), "garbage.pem", "not PEM");
        assertProblem(() -> KeyMaterial.fromKeyStore(dir.resolve("garbage.pem"), null), "garbage.pem",
                "not a PKCS#12 or JKS keystore");
        assertProblem(() -> KeyMaterial.fromKeyStore(dir.resolve("absent.p12"), null), "absent.p12", "no such file");
    }

    @Test
    void blocksOfTheWrongKind() throws Exception {
        SelfSignedCertificate good = SelfSignedCertificate.create(dir);

        assertProblem(() -> KeyMaterial.fromPem(good.privateKey(), good.privateKey()), "key.pem",
                "no CERTIFICATE block (found: PRIVATE KEY)");
        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), good.certificate()), "cert.pem",
                "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block (found: CERTIFICATE)");
    }

    @Test
    void truncatedAndCorruptPem() throws Exception {
        SelfSignedCertificate good = SelfSignedCertificate.create(dir);
        String key = Files.readString(good.privateKey());
        String certificate = Files.readString(good.certificate());
        Path truncated = Files.writeString(dir.resolve("truncated.key"), key.substring(0, key.length() / 2));
        Path badBase64 = Files.writeString(dir.resolve("base64.pem"), certificate.replaceFirst("\n.", "\n*"));
        byte[] noise = new byte[120];
        new Random(2).nextBytes(noise);
        Path badDer = Files.writeString(dir.resolve("der.key"), pem("PRIVATE KEY", noise));
        Path badCertificate = Files.writeString(dir.resolve("der.pem"), pem("CERTIFICATE", noise));

        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), truncated), "truncated.key", "truncated PEM");
        assertProblem(() -> KeyMaterial.fromPem(badBase64, good.privateKey()), "base64.pem",
                "bad base64 in the CERTIFICATE block");
        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), badDer), "der.key", "bad DER");
        assertProblem(() -> KeyMaterial.fromPem(badCertificate, good.privateKey()), "der.pem",
                "bad DER in CERTIFICATE block 1");
    }

    @Test
    void unsupportedKeyAlgorithm() throws Exception {
        SelfSignedCertificate good = SelfSignedCertificate.create(dir);
        openssl(dir, "genpkey", "-algorithm", "x25519", "-out", "x25519.key");

        assertProblem(() -> KeyMaterial.fromPem(good.certificate(), dir.resolve("x25519.key")), "x25519.key",
                "unsupported key algorithm 1.3.101.110");
    }

    @Test
    void encryptedKeysAreRefusedWithTheCommandThatDecryptsThem() throws Exception {
        selfSigned("rsa", "-newkey", "rsa:2048");
        openssl(dir, "pkey", "-in", "rsa.key", "-aes256", "-passout", "pass:" + PASSWORD, "-out", "pkcs8.key");
        openssl(dir, "rsa", "-in", "rsa.key", "-traditional", "-aes256", "-passout", "pass:" + PASSWORD,
                "-out", "pkcs1.key");
        assertThat(Files.readString(dir.resolve("pkcs8.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("pkcs1.key"))).contains("Proc-Type: 4,ENCRYPTED");

        for (String key : List.of("pkcs8.key", "pkcs1.key")) {
            assertProblem(() -> KeyMaterial.fromPem(dir.resolve("rsa.pem"), dir.resolve(key)), key,
                    "encrypted private keys are not supported", "openssl pkey -in k.pem -out plain.pem");
        }
    }

    @Test
    void wrongKeyStorePassword() throws Exception {
        Path pkcs12 = keytoolKeyPair(dir, "server.p12", "PKCS12", PASSWORD);
        Path jks = keytoolKeyPair(dir, "server.jks", "JKS", PASSWORD);

        assertProblem(() -> KeyMaterial.fromKeyStore(pkcs12, "not-it".toCharArray()), "server.p12",
                "wrong keystore password");
        assertProblem(() -> KeyMaterial.fromKeyStore(pkcs12, null), "server.p12", "wrong keystore password");
        assertProblem(() -> KeyMaterial.fromKeyStore(jks, "not-it".toCharArray()), "server.jks",
                "wrong keystore password");
    }

    @Test
    void keyStoresWithoutOrWithSeveralKeys() throws Exception {
        Path store = keytoolKeyPair(dir, "server.p12", "PKCS12", PASSWORD);
        keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-file", "server.pem");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "server.pem", "-storetype", "PKCS12",
                "-keystore", "trust.p12", "-storepass", PASSWORD);
        keytool(dir, "-genkeypair", "-noprompt", "-alias", "second", "-keyalg", "EC", "-dname", "CN=second",
                "-keystore", store.toString(), "-storepass", PASSWORD);

        assertProblem(() -> KeyMaterial.fromKeyStore(dir.resolve("trust.p12"), PASSWORD.toCharArray()), "trust.p12",
                "no private key entry (entries: [ca])");
        assertProblem(() -> KeyMaterial.fromKeyStore(store, PASSWORD.toCharArray()), "server.p12",
                "several private key entries", "server", "second");
    }

    // A lapsed certificate still loads, with a warning that names the file.

    @Test
    void expiredCertificateLoadsWithAWarning() throws Exception {
        Path store = keytoolKeyPair(dir, "expired.p12", "PKCS12", PASSWORD, "-startdate", "2020/01/01 00:00:00",
                "-validity", "30");
        exportPem(store, PASSWORD, dir.resolve("expired.pem"), dir.resolve("expired.key"));
        X509Certificate expired = certificates(dir.resolve("expired.pem")).get(0);

        try (LoggedWarnings warnings = LoggedWarnings.capture()) {
            assertServes(KeyMaterial.fromPem(dir.resolve("expired.pem"), dir.resolve("expired.key")),
                    dir.resolve("expired.pem"));
            assertServes(KeyMaterial.fromKeyStore(store, PASSWORD.toCharArray()), dir.resolve("expired.pem"));

            assertThat(warnings.lines()).satisfiesExactly(
                    line -> assertThat(line).contains(KeyMaterial.class.getName(),
                            dir.resolve("expired.pem").toString(), "CN=localhost", "has expired",
                            "valid from " + expired.getNotBefore().toInstant(),
                            "to " + expired.getNotAfter().toInstant()),
                    line -> assertThat(line).contains(store.toString(), "has expired"));
        }
    }

    @Test
    void notYetValidCertificateLoadsWithAWarning() throws Exception {
        Path store = keytoolKeyPair(dir, "future.p12", "PKCS12", PASSWORD, "-startdate", "+30d");

        try (LoggedWarnings warnings = LoggedWarnings.capture()) {
            KeyMaterial.fromKeyStore(store, PASSWORD.toCharArray());

            assertThat(warnings.lines()).singleElement().asString().contains(store.toString(), "is not valid yet");
        }
    }

    @Test
    void validCertificateLoadsSilently() throws Exception {
        SelfSignedCertificate good = SelfSignedCertificate.create(dir);

        try (LoggedWarnings warnings = LoggedWarnings.capture()) {
            KeyMaterial.fromPem(good.certificate(), good.privateKey());
            KeyMaterial.trusting(good.certificate());

            assertThat(warnings.lines()).isEmpty();
        }
    }

    private void selfSigned(String name, String... keyOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-nodes", "-keyout", name + ".key",
                "-out", name + ".pem", "-subj", "/CN=localhost", "-days", "30"));
        args.addAll(List.of(keyOptions));
        openssl(dir, args.toArray(new String[0]));
    }

    /** root (self-signed CA) -> intermediate (CA) -> leaf; chain.pem holds leaf and intermediate. */
    private void makeChain() throws Exception {
        String[] p256 = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"};
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n");
        openssl(dir, concat(new String[] {"req", "-x509"}, p256, "-keyout", "root.key", "-out", "root.pem",
                "-subj", "/CN=root", "-days", "30"));
        openssl(dir, concat(new String[] {"req", "-new"}, p256, "-keyout", "intermediate.key",
                "-out", "intermediate.csr", "-subj", "/CN=intermediate"));
        openssl(dir, "x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key",
                "-set_serial", "2", "-days", "30", "-extfile", "ca.ext", "-out", "intermediate.pem");
        openssl(dir, concat(new String[] {"req", "-new"}, p256, "-keyout", "leaf.key", "-out", "leaf.csr",
                "-subj", "/CN=localhost"));
        openssl(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
                "-set_serial", "3", "-days", "30", "-out", "leaf.pem");
        Files.writeString(dir.resolve("chain.pem"),
                Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("intermediate.pem")));
    }

    private static String[] concat(String[] first, String[] second, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        all.addAll(List.of(rest));
        return all.toArray(new String[0]);
    }

    /** One key entry, whose chain is the file's certificates and whose key signs for the leaf. */
    private static void assertServes(KeyManager[] managers, Path certificateFile) throws Exception {
        List<X509Certificate> expected = certificates(certificateFile);
        assertThat(managers).singleElement().isInstanceOf(X509KeyManager.class);
        X509KeyManager manager = (X509KeyManager) managers[0];
        String keyType = expected.get(0).getPublicKey().getAlgorithm();
        String[] aliases = manager.getServerAliases(keyType, null);
        assertThat(aliases).as("aliases for %s keys", keyType).hasSize(1);

        assertThat(manager.getCertificateChain(aliases[0])).containsExactlyElementsOf(expected);
        PrivateKey key = manager.getPrivateKey(aliases[0]);
        String algorithm = switch (keyType) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "EdDSA";
        };
        byte[] message = "a handshake transcript".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(message);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(expected.get(0));
        verifier.update(message);
        assertThat(verifier.verify(signer.sign())).as("the key signs for the leaf certificate").isTrue();
    }

    private static X509TrustManager trustManager(TrustManager[] managers) {
        assertThat(managers).singleElement().isInstanceOf(X509TrustManager.class);
        return (X509TrustManager) managers[0];
    }

    @FunctionalInterface
    private interface Load {
        void run() throws IOException;
    }

    private static void assertProblem(Load load, String... messageParts) {
        assertThatThrownBy(load::run).isInstanceOf(IOException.class).message().contains(messageParts);
    }
}
