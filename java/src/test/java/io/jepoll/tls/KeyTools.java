package io.jepoll.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes key and certificate fixtures with openssl and the JDK's keytool, each run bounded in time. */
final class KeyTools {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private KeyTools() {
    }

    static void assumeOpenSsl() {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
    }

    /** Runs openssl in the directory; its output is returned, a failure fails the test. */
    static String openssl(Path dir, String... args) throws Exception {
        assumeOpenSsl();
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    static String keytool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-J-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    /** A self-signed certificate and key (keytool, into a PKCS12 file with this password). */
    static Path keytoolKeyPair(Path dir, String name, String storeType, String password, String... extra)
            throws Exception {
        Path store = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-noprompt", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-storetype", storeType, "-keystore", store.toString(), "-storepass", password));
        args.addAll(List.of(extra));
        keytool(dir, args.toArray(new String[0]));
        return store;
    }

    /** Writes the one key entry of a PKCS12 keystore as cert.pem and key.pem (PKCS#8). */
    static void exportPem(Path store, String password, Path certificate, Path key) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(new ByteArrayInputStream(Files.readAllBytes(store)), password.toCharArray());
        String alias = keyStore.aliases().nextElement();
        Files.writeString(certificate, pem("CERTIFICATE", keyStore.getCertificate(alias).getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keyStore.getKey(alias, password.toCharArray()).getEncoded()));
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static List<X509Certificate> certificates(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Path output = Files.createTempFile(dir, "tool", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not finish within 60 s: " + command);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("exit status " + process.exitValue() + " from " + command + ":\n" + text);
            }
            return text;
        } finally {
            Files.delete(output);
        }
    }
}
