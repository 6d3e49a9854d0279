package io.jepoll.cli;

import io.jepoll.tls.TlsContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The TLS options every server command shares: where its keys come from, and how often they are looked at again. */
final class ServerTlsOptions {

    /** Where a keystore's password comes from when it is not on the command line, where every local user sees it. */
    static final String KEYSTORE_PASSWORD_VARIABLE = "JEPOLL_TLS_KEYSTORE_PASSWORD";

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve TLS with this PEM certificate chain, leaf first (with --tls-key).")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1, unencrypted).")
    Path privateKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve TLS with the one key entry of this PKCS#12 or JKS keystore, instead of PEM files.")
    Path keyStore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD",
            description = "The keystore's password (default: $" + KEYSTORE_PASSWORD_VARIABLE + ", else none).")
    String keyStorePassword;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Mutual TLS: check client certificates against these authorities (PEM or keystore).")
    Path clientAuthorities;

    @Option(names = "--tls-client-auth", paramLabel = "required|optional",
            description = "Whether a client must show a certificate, or may (default with --tls-client-ca: required).")
    String clientAuth;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "A client has this long to finish its TLS handshake (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--tls-reload-check", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often the key and certificate files are checked for a change, which new handshakes"
                    + " then use; 0s: never (default: ${DEFAULT-VALUE}).")
    Duration reloadCheck;

    /** {@return whether the server speaks TLS} */
    boolean enabled() {
        return certificate != null || privateKey != null || keyStore != null;
    }

    /** Refuses combinations that cannot make a TLS server (exit code 2, with the usage). */
    void validate(CommandLine commandLine) {
        Options.require(commandLine, (certificate == null) == (privateKey == null),
                "--tls-cert and --tls-key go together: the certificate chain and its private key");
        Options.require(commandLine, certificate == null || keyStore == null,
                "--tls-cert/--tls-key and --tls-keystore exclude each other: PEM files or a keystore");
        Options.require(commandLine, keyStorePassword == null || keyStore != null,
                "--tls-keystore-password needs --tls-keystore");
        Options.require(commandLine, clientAuthorities == null || enabled(),
                "--tls-client-ca needs TLS: --tls-cert and --tls-key, or --tls-keystore");
        Options.require(commandLine, clientAuth == null || clientAuthorities != null,
                "--tls-client-auth needs --tls-client-ca: the authorities client certificates are checked against");
        Options.require(commandLine, clientAuth == null || clientAuthMode() != null,
                "--tls-client-auth must be required or optional: " + clientAuth);
        Options.requirePositive(commandLine, "--tls-handshake-timeout", handshakeTimeout);
        Options.require(commandLine, !reloadCheck.isNegative(),
                "--tls-reload-check must be 0s or more: " + reloadCheck);
    }

    /** {@return the server's TLS, its files not read yet (the server reads them when it starts)} */
    TlsContext context() {
        TlsContext.Builder builder = TlsContext.server().handshakeTimeout(handshakeTimeout);
        if (keyStore != null) {
            String password = keyStorePassword != null ? keyStorePassword : System.getenv(KEYSTORE_PASSWORD_VARIABLE);
            builder.keyStore(keyStore, password == null ? null : password.toCharArray());
        } else {
            builder.certificate(certificate, privateKey);
        }
        if (clientAuthorities != null) {
            TlsContext.ClientAuth mode = clientAuth == null ? TlsContext.ClientAuth.REQUIRED : clientAuthMode();
            builder.clientAuth(mode, clientAuthorities);
        }
        return builder.build();
    }

    /** {@return the files the server's keys and trust are read from, in the order given} */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path file : new Path[] {certificate, privateKey, keyStore, clientAuthorities}) {
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }

    private TlsContext.ClientAuth clientAuthMode() {
        return switch (clientAuth.toLowerCase(Locale.ROOT)) {
            case "required" -> TlsContext.ClientAuth.REQUIRED;
            case "optional" -> TlsContext.ClientAuth.OPTIONAL;
            default -> null;
        };
    }
}
