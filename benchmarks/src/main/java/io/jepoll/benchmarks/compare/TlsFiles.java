package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one certificate and key both HTTPS servers serve in a run: ECDSA P-256, self-signed for
 * localhost and 127.0.0.1, made by openssl so that neither server's own tooling makes the other's keys.
 */
record TlsFiles(Path certificate, Path key) {

    /** The cipher suites a certificate's key type allows are the same for both servers: ECDSA only. */
    static final String KEY_DESCRIPTION = "ECDSA P-256 (prime256v1), self-signed for localhost";

    static List<String> command(Path openssl, Path dir) {
        return List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
    }

    /** Writes them into {@code dir}, readable by nginx's worker, which may run as another user. */
    static TlsFiles make(Path openssl, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command(openssl, dir)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(Supervised.NO_INPUT).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl could not make the certificate: " + Files.readString(log).strip());
        }
        TlsFiles files = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        for (Path path : List.of(dir, files.certificate, files.key)) {
            path.toFile().setReadable(true, false);
        }
        dir.toFile().setExecutable(true, false);
        return files;
    }
}
