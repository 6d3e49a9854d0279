package io.jepoll.cli;

import static io.jepoll.cli.CommandRuns.awaitPort;
import static io.jepoll.cli.CommandRuns.command;
import static io.jepoll.cli.CommandRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.cli.CommandRuns.Output;
import io.jepoll.loop.Transport;
import io.jepoll.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The commands' TLS options as a user runs them: {@code http} and {@code echo} over TLS,
 * {@code echo-client --tls}, reloading renewed files, and {@code tls-selfsigned}.
 */
@Timeout(60)
class TlsCommandsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(TLS, ");

    @TempDir
    static Path keys;
    private static SelfSignedCertificate first;
    private static SelfSignedCertificate second;

    @BeforeAll
    static void twoCertificates() throws IOException {
        first = SelfSignedCertificate.create(Files.createDirectories(keys.resolve("first")));
        second = SelfSignedCertificate.create(Files.createDirectories(keys.resolve("second")));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void httpServesHttpsToTheJdksClientAndToCurl(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("http",
                "--port", "0", "--transport", transport.shortName(), "--max-time", "2s",
                "--tls-cert", first.certificate().toString(), "--tls-key", first.privateKey().toString()));
        int port = awaitPort(serverOut, LISTENING);
        assertThat(serverOut.toString()).startsWith("jepoll https listening on 127.0.0.1:" + port + " (TLS, transport "
                + transport.shortName());

        HttpClient client = HttpClient.newBuilder().sslContext(trusting(first.certificate()))
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\n");

        HttpResponse<String> plain = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).as("plain HTTP to the HTTPS port, answered as HttpServer answers it")
                .isEqualTo(400);
        assertThat(plain.body()).isEqualTo("A plain HTTP request was sent to an HTTPS port\n");

        if (curlIsInstalled()) {
            assertThat(curl("--cacert", first.certificate().toString(), "https://localhost:" + port + "/",
                    "--resolve", "localhost:" + port + ":127.0.0.1")).isEqualTo("hello\n");
        }
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void curlGetsAnHttpsAnswerFromTheCommandTlsSelfSignedPrintsForIt(@TempDir Path dir) throws Exception {
        assumeTrue(curlIsInstalled(), "curl is not installed");
        Path written = dir.resolve("made/here");
        Output made = run("tls-selfsigned", written.toString());
        assertThat(made.exitCode()).as("errors: %s", made.errors()).isZero();
        Path certificate = written.toAbsolutePath().resolve("cert.pem");
        Path key = written.toAbsolutePath().resolve("key.pem");
        assertThat(made.text()).contains(certificate.toString()).contains(key.toString())
                .contains("http --port 8443 --tls-cert " + certificate + " --tls-key " + key)
                .contains("curl --cacert " + certificate + " https://localhost:8443/");

        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("http",
                "--port", "0", "--max-time", "2s", "--tls-cert", certificate.toString(), "--tls-key", key.toString()));
        int port = awaitPort(serverOut, LISTENING);
        assertThat(curl("--cacert", certificate.toString(), "https://localhost:" + port + "/",
                "--resolve", "localhost:" + port + ":127.0.0.1")).isEqualTo("hello\n");
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void tlsSelfSignedRefusesToReplaceFilesWithoutForce(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("key.pem"), "a key kept elsewhere\n");

        Output refused = run("tls-selfsigned", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errors()).isEqualTo("jepoll tls-selfsigned: " + dir.resolve("key.pem")
                + " exists; --force replaces it" + System.lineSeparator());
        assertThat(dir.resolve("cert.pem")).doesNotExist();
        assertThat(dir.resolve("key.pem")).hasContent("a key kept elsewhere");

        Output forced = run("tls-selfsigned", "--force", dir.toString());
        assertThat(forced.exitCode()).as("errors: %s", forced.errors()).isZero();
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL_ET", "NIO", "BLOCKING"})
    void echoClientOverTlsGetsEveryByteBackAndRefusesACertificateItDoesNotTrust(Transport transport)
            throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("echo",
                "--port", "0", "--transport", transport.shortName(), "--max-time", "4s",
                "--tls-cert", first.certificate().toString(), "--tls-key", first.privateKey().toString()));
        String port = String.valueOf(awaitPort(serverOut, LISTENING));
        String trust = first.certificate().toString();

        Output message = run("echo-client", "--port", port, "--tls", "--tls-trust", trust, "--message", "Hello, TLS");
        assertThat(message.exitCode()).as("errors: %s", message.errors()).isZero();
        assertThat(message.text()).isEqualTo("Hello, TLS" + System.lineSeparator());

        Output load = run("echo-client", "--port", port, "--tls", "--tls-trust", trust, "--tls-server-name",
                "localhost", "--connections", "4", "--bytes", "200000");
        assertThat(load.exitCode()).as("errors: %s", load.errors()).isZero();
        assertThat(load.text()).contains("4 connections x 200000 bytes echoed exactly in");

        Output insecure = run("echo-client", "--port", port, "--tls", "--insecure", "--message", "any certificate");
        assertThat(insecure.exitCode()).as("errors: %s", insecure.errors()).isZero();
        assertThat(insecure.text()).isEqualTo("any certificate" + System.lineSeparator());

        Output untrusted = run("echo-client", "--port", port, "--tls", "--message", "Hello");
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.errors()).startsWith("echo-client: TLS handshake with 127.0.0.1:" + port + " failed: ")
                .contains("certification path")
                .endsWith("(--tls-trust FILE trusts its authority)" + System.lineSeparator()).hasLineCount(1);
        assertThat(untrusted.text()).isEmpty();

        Output wrongName = run("echo-client", "--port", port, "--tls", "--tls-trust", trust, "--tls-server-name",
                "example.com", "--message", "Hello");
        assertThat(wrongName.exitCode()).isEqualTo(1);
        assertThat(wrongName.errors()).startsWith("echo-client: TLS handshake with 127.0.0.1:" + port + " failed: ")
                .contains("example.com").hasLineCount(1);

        Output plain = run("echo-client", "--port", port, "--message", "Hello", "--timeout", "5s");
        assertThat(plain.exitCode()).as("plain text to a TLS port").isEqualTo(1);

        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void echoServesTheKeyOfAKeystore(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        writeKeyStore(keyStore, "s3cret".toCharArray());
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("echo",
                "--port", "0", "--max-time", "2s", "--tls-keystore", keyStore.toString(),
                "--tls-keystore-password", "s3cret"));
        String port = String.valueOf(awaitPort(serverOut, LISTENING));

        Output echoed = run("echo-client", "--port", port, "--tls", "--tls-trust", first.certificate().toString(),
                "--message", "from a keystore");
        assertThat(echoed.exitCode()).as("errors: %s", echoed.errors()).isZero();
        assertThat(echoed.text()).isEqualTo("from a keystore" + System.lineSeparator());
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();

        Output wrongPassword = run("echo", "--port", "0", "--max-time", "1s", "--tls-keystore", keyStore.toString(),
                "--tls-keystore-password", "guess");
        assertThat(wrongPassword.exitCode()).isEqualTo(1);
        assertThat(wrongPassword.errors()).startsWith("jepoll echo: " + keyStore + ": ").hasLineCount(1);
        assertThat(wrongPassword.text()).doesNotContain("listening");
    }

    @Test
    void aKeyFileThatCannotBeUsedIsOneLineNamingItAndExitCode1(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        Output absent = run("http", "--port", "0", "--max-time", "1s",
                "--tls-cert", first.certificate().toString(), "--tls-key", missing.toString());
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.errors()).isEqualTo("jepoll http: " + missing + ": no such file" + System.lineSeparator());
        assertThat(absent.text()).doesNotContain("listening");

        Output mismatched = run("echo", "--port", "0", "--max-time", "1s",
                "--tls-cert", first.certificate().toString(), "--tls-key", second.privateKey().toString());
        assertThat(mismatched.exitCode()).isEqualTo(1);
        assertThat(mismatched.errors()).startsWith("jepoll echo: ").contains(second.privateKey().toString())
                .hasLineCount(1).doesNotContain("Exception");
        assertThat(mismatched.text()).doesNotContain("listening");
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificateAndServesOneWithIt() throws Exception {
        StringWriter serverOut = new StringWriter();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("echo",
                "--port", "0", "--max-time", "3s",
                "--tls-cert", first.certificate().toString(), "--tls-key", first.privateKey().toString(),
                "--tls-client-ca", second.certificate().toString()));
        int port = awaitPort(serverOut, LISTENING);

        Output anonymous = run("echo-client", "--port", String.valueOf(port), "--tls", "--insecure",
                "--message", "Hello", "--timeout", "5s");
        assertThat(anonymous.exitCode()).isEqualTo(1);
        assertThat(anonymous.text()).isEmpty();

        Output known = run("echo-client", "--port", String.valueOf(port), "--tls", "--insecure",
                "--tls-cert", second.certificate().toString(), "--tls-key", second.privateKey().toString(),
                "--message", "mutual", "--timeout", "5s");
        assertThat(known.exitCode()).as("echo-client with a certificate; its errors: %s", known.errors()).isZero();
        assertThat(known.text()).contains("mutual");
        Output keyless = run("echo-client", "--port", String.valueOf(port), "--tls", "--insecure",
                "--tls-cert", second.certificate().toString(), "--message", "x");
        assertThat(keyless.exitCode()).isEqualTo(2);
        assertThat(keyless.errors()).contains("--tls-cert and --tls-key go together");
        assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
    }

    /**
     * A renewed certificate is served without a restart; a broken renewal is reported and the
     * certificate served before stays.
     */
    @Test
    void aChangedCertificateIsServedToNewHandshakesAndABrokenOneLeavesTheLastGoodOne(@TempDir Path dir)
            throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(first.certificate(), certificate);
        Files.copy(first.privateKey(), key);
        try (LogRecords logged = LogRecords.of(CertificateReloader.class)) {
            StringWriter serverOut = new StringWriter();
            CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> command(serverOut).execute("echo",
                    "--port", "0", "--max-time", "10s", "--tls-reload-check", "200ms",
                    "--tls-cert", certificate.toString(), "--tls-key", key.toString()));
            int port = awaitPort(serverOut, LISTENING);
            assertThat(servedKey(port)).isEqualTo(publicKey(first));

            Files.copy(second.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
            awaitServedKey(port, publicKey(second));
            assertThat(logged.lines()).contains("INFO TLS certificate reloaded from " + certificate + ", " + key);

            Files.writeString(key, "not a key\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (logged.lines().stream().noneMatch(line -> line.startsWith("WARNING"))) {
                assertThat(System.nanoTime()).as("a warning within 5 s; logged: %s", logged.lines())
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(logged.lines()).filteredOn(line -> line.startsWith("WARNING")).containsExactly(
                    "WARNING TLS certificate not reloaded, the one loaded before stays in use: " + key
                            + ": not PEM: no -----BEGIN ...----- block");
            assertThat(servedKey(port)).isEqualTo(publicKey(second));
            assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    /**
     * Waits (at most 5 s, half the server's --max-time) until a new handshake shows
     * {@code expected}: the reload runs on its own schedule.
     */
    private static void awaitServedKey(int port, PublicKey expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        PublicKey served = servedKey(port);
        while (!served.equals(expected)) {
            assertThat(System.nanoTime()).as("the new certificate served within 5 s").isLessThan(deadline);
            Thread.sleep(50);
            served = servedKey(port);
        }
    }

    /** The public key of the certificate a new handshake with the echo server on {@code port} shows. */
    private static PublicKey servedKey(int port) throws Exception {
        Recording recording = new Recording();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recording}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write('x');
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("the echo").isEqualTo('x');
        }
        return recording.serverCertificate.getPublicKey();
    }

    /** Trusts any server, noting the certificate it shows. */
    private static final class Recording implements X509TrustManager {
        volatile X509Certificate serverCertificate;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            serverCertificate = chain[0];
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static PublicKey publicKey(SelfSignedCertificate pair) throws Exception {
        return certificate(pair.certificate()).getPublicKey();
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate(certificate));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The first pair in a PKCS#12 keystore whose password (and key's) is {@code password}. */
    private static void writeKeyStore(Path file, char[] password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(first, password).store(out, password);
        }
    }

    private static KeyStore keyStore(SelfSignedCertificate pair, char[] password) throws Exception {
        String pem = Files.readString(pair.privateKey(), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, new Certificate[] {certificate(pair.certificate())});
        return store;
    }

    private static boolean curlIsInstalled() {
        try {
            Process process = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What curl prints, failing with its errors when it exits other than 0. */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("curl's exit status; its errors: %s", err).isZero();
        return out;
    }

    /** What one class logs through {@link System.Logger} (java.util.logging underneath), as "LEVEL message" lines. */
    private static final class LogRecords implements AutoCloseable {
        /** Held, or java.util.logging could collect the logger and the handler with it. */
        private final Logger logger;
        private final Level levelBefore;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        private LogRecords(Class<?> source) {
            logger = Logger.getLogger(source.getName());
            levelBefore = logger.getLevel();
            logger.setLevel(Level.ALL);
            logger.addHandler(handler);
        }

        static LogRecords of(Class<?> source) {
            return new LogRecords(source);
        }

        List<String> lines() {
            return lines;
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setLevel(levelBefore);
        }
    }
}
