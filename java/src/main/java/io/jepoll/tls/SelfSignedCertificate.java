package io.jepoll.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed ECDSA P-256 certificate for {@code localhost} and its private key, as PEM files,
 * for local tests and development. It is valid from a day ago for 365 days and names
 * {@code DNS:localhost}, {@code IP:127.0.0.1} and {@code IP:::1}; clients trust it when given the
 * certificate file as their CA ({@code curl --cacert cert.pem}).
 *
 * <p>The JDK's own {@code keytool} makes the certificate, so no certificate encoding is written
 * here and nothing beyond the JDK is needed.
 */
public final class SelfSignedCertificate {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String PASSWORD_VARIABLE = "JEPOLL_KEYTOOL_PASSWORD";
    private static final String ALIAS = "localhost";

    private final Path certificate;
    private final Path privateKey;

    private SelfSignedCertificate(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * Writes a self-signed ECDSA P-256 certificate and its key, for local tests and development.
     *
     * @param directory an existing directory; {@code cert.pem} and {@code key.pem} in it are replaced
     * @return the two files
     * @throws IOException if keytool is missing, fails or times out (the message carries its output),
     *         or the files cannot be written
     */
    public static SelfSignedCertificate create(Path directory) throws IOException {
        Path keyStore = Files.createTempFile(directory, "self-signed", ".p12");
        Path log = Files.createTempFile(directory, "keytool", ".log");
        try {
            // keytool refuses an existing empty file; the name only reserves a place.
            Files.delete(keyStore);
            String password = HexFormat.of().formatHex(randomBytes());
            runKeytool(keyStore, log, password);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Files.readAllBytes(keyStore)), password.toCharArray());
            SelfSignedCertificate written = new SelfSignedCertificate(directory.resolve("cert.pem"),
                    directory.resolve("key.pem"));
            Files.writeString(written.certificate,
                    pem("CERTIFICATE", store.getCertificate(ALIAS).getEncoded()), StandardCharsets.US_ASCII);
            Files.deleteIfExists(written.privateKey);
            Files.createFile(written.privateKey,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written.privateKey,
                    pem("PRIVATE KEY", store.getKey(ALIAS, password.toCharArray()).getEncoded()),
                    StandardCharsets.US_ASCII);
            return written;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the keystore keytool wrote: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(log);
        }
    }

    /**
     * The certificate.
     *
     * @return {@code cert.pem} in the directory given to {@link #create(Path)}
     */
    public Path certificate() {
        return certificate;
    }

    /**
     * The private key, readable by its owner only.
     *
     * @return {@code key.pem} (unencrypted PKCS#8) in the directory given to {@link #create(Path)}
     */
    public Path privateKey() {
        return privateKey;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void runKeytool(Path keyStore, Path log, String password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make a self-signed certificate: no keytool at " + keytool
                    + " (a JRE without the JDK's tools?)");
        }
        // The C1 compiler alone starts keytool in half the time, and it runs for well under a second.
        List<String> command = List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1",
                "-genkeypair", "-noprompt", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1,ip:::1",
                "-startdate", "-1d", "-validity", "365",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass:env", PASSWORD_VARIABLE);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // In the environment, not on the command line where every local user could read it.
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed with exit status " + process.exitValue() + ": " + command
                    + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
