package io.jepoll.cli;

import io.jepoll.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jepoll tls-selfsigned}: a certificate and key to try TLS with on one's own machine. */
@Command(name = "tls-selfsigned", mixinStandardHelpOptions = true,
        description = "Write DIR/cert.pem and DIR/key.pem: a self-signed ECDSA P-256 certificate for localhost,"
                + " 127.0.0.1 and ::1, valid for a year, and its key; for tests and development, not for a"
                + " public server.")
final class TlsSelfSignedCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Where to write them; made if missing.")
    private Path directory;

    @Option(names = "--force", description = "Replace cert.pem and key.pem when DIR has them.")
    private boolean force;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.require(spec.commandLine(), !Files.exists(directory) || Files.isDirectory(directory),
                "DIR must be a directory: " + directory);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String name : new String[] {"cert.pem", "key.pem"}) {
            Path existing = directory.resolve(name);
            if (!force && Files.exists(existing)) {
                err.println("jepoll tls-selfsigned: " + existing + " exists; --force replaces it");
                err.flush();
                return 1;
            }
        }
        SelfSignedCertificate written = SelfSignedCertificate.create(
                Files.createDirectories(directory).toAbsolutePath());
        String certificate = written.certificate().toString();
        String key = written.privateKey().toString();
        out.printf("certificate  %s%n", certificate);
        out.printf("private key  %s%n", key);
        out.printf("serve:  java -jar jepoll.jar http --port 8443 --tls-cert %s --tls-key %s%n", certificate, key);
        out.printf("test:   curl --cacert %s https://localhost:8443/%n", certificate);
        out.printf("        java -jar jepoll.jar echo --port 7443 --tls-cert %s --tls-key %s%n", certificate, key);
        out.printf("        java -jar jepoll.jar echo-client --port 7443 --tls --tls-trust %s --tls-server-name"
                + " localhost%n", certificate);
        out.flush();
        return 0;
    }
}
