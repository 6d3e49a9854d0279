package io.jepoll.tls;

import io.jepoll.net.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What TLS needs on one side of a connection: keys, trust, the protocols offered, and the rules
 * of a handshake. The JDK's {@link SSLEngine} does the cryptography; {@link #wrap} puts it
 * between a connection and any {@link Handler}, which then reads and writes plain bytes on every
 * transport, unchanged.
 *
 * <pre>{@code
 * TlsContext tls = TlsContext.server().certificate(Path.of("chain.pem"), Path.of("key.pem")).build();
 * TcpServer.builder().tls(tls).handler(EchoHandler::new).build().start();
 * }</pre>
 *
 * <p>Only TLS 1.3 and 1.2 are spoken, with the JDK's default cipher suites for them; a peer
 * offering nothing newer than 1.1 gets a {@code protocol_version} alert. Renegotiation is
 * refused (TLS 1.3 has none; a TLS 1.2 peer asking for it is disconnected). Sessions are resumed
 * as the JDK provides.
 *
 * <p>Key files are read by {@link #load()}, which a server calls when it starts, and may call
 * again whenever the files change (a renewed certificate): new handshakes use the new keys,
 * connections already open keep theirs.
 */
public final class TlsContext {

    /** The default {@link Builder#handshakeTimeout}: a peer has this long to finish its handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final System.Logger LOG = System.getLogger(TlsContext.class.getName());

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {
        /** A client without a certificate that the trust file vouches for is refused in the handshake. */
        REQUIRED,
        /** A client may present a certificate; one that does is checked against the trust file. */
        OPTIONAL
    }

    private final boolean client;
    private final Keys keys;
    private final List<String> applicationProtocols;
    private final Duration handshakeTimeout;
    private final Executor taskExecutor;
    private final ClientAuth clientAuth;
    private final String serverName;
    private final boolean verifyHostname;
    private final byte[] plaintextAnswer;

    private TlsContext(Builder builder) {
        this.client = builder.client;
        this.keys = new Keys(builder);
        this.applicationProtocols = builder.applicationProtocols;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.taskExecutor = builder.taskExecutor != null ? builder.taskExecutor : HandshakeTasks.shared();
        this.clientAuth = builder.clientAuth;
        this.serverName = builder.serverName;
        this.verifyHostname = !builder.trustAll;
        this.plaintextAnswer = null;
    }

    /** {@code from} with other ALPN protocols or another answer to plain text, sharing its keys. */
    private TlsContext(TlsContext from, List<String> applicationProtocols, byte[] plaintextAnswer) {
        this.client = from.client;
        this.keys = from.keys;
        this.applicationProtocols = applicationProtocols;
        this.handshakeTimeout = from.handshakeTimeout;
        this.taskExecutor = from.taskExecutor;
        this.clientAuth = from.clientAuth;
        this.serverName = from.serverName;
        this.verifyHostname = from.verifyHostname;
        this.plaintextAnswer = plaintextAnswer;
    }

    /** {@return a builder for a server's side: it needs a certificate and its key} */
    public static Builder server() {
        return new Builder(false);
    }

    /** {@return a builder for a client's side: it trusts the JDK's default authorities unless told otherwise} */
    public static Builder client() {
        return new Builder(true);
    }

    /**
     * Reads the key, certificate and trust files (again), and makes new handshakes use them.
     * Connections already open keep the keys they have. On failure the keys in use stay.
     * An expired or not yet valid certificate is logged as a warning, not refused: refusing it
     * would turn a missed renewal into an outage.
     *
     * @return this context
     * @throws IOException when a file cannot be read or makes no sense (a key that does not
     *     match its certificate, a wrong password): the message names the file and the problem
     */
    public TlsContext load() throws IOException {
        keys.load();
        return this;
    }

    /** {@return whether this is a client's side} */
    public boolean isClient() {
        return client;
    }

    /** {@return how long a peer has to finish its handshake} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the application protocols offered in ALPN, most preferred first; empty: no ALPN} */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * This context with other ALPN protocols, sharing its keys (a {@link #load()} of either
     * reloads both): for a protocol that names itself, as HTTP does with {@code http/1.1}.
     *
     * @param protocols most preferred first; a peer that offers ALPN with none of them in common is refused
     * @return a context differing only in its ALPN protocols
     */
    public TlsContext withApplicationProtocols(String... protocols) {
        return new TlsContext(this, List.of(protocols), plaintextAnswer);
    }

    /**
     * This context answering a peer that speaks plain text to a TLS server with {@code answer}
     * before the close, sharing its keys: HTTP answers {@code 400} as nginx does, so that
     * {@code http://} sent to an {@code https://} port explains itself. Without it such a peer is
     * disconnected at once.
     *
     * @param answer the bytes to send, as they are
     * @return a context differing only in its answer to plain text
     */
    public TlsContext withPlaintextAnswer(String answer) {
        return new TlsContext(this, applicationProtocols, answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Puts TLS between a connection and {@code handler}: the handler's callbacks see plain bytes
     * and a connection that encrypts what it writes. On a server, {@code peerHost} is ignored; on
     * a client it names the server for SNI, certificate checks and session resumption, unless
     * the builder named one.
     *
     * @param handler the protocol, unchanged; its {@link Handler#onOpen} runs once the handshake is done
     * @param peerHost the server's host name or address as the client knows it; null on a server
     * @param peerPort the server's port; 0 on a server
     * @return a handler to give the connection instead
     */
    public TlsHandler wrap(Handler handler, String peerHost, int peerPort) {
        return new TlsHandler(this, Objects.requireNonNull(handler, "handler"), peerHost, peerPort);
    }

    /** A new engine with this context's rules, from the keys loaded last. */
    SSLEngine newEngine(String peerHost, int peerPort) {
        SSLContext context = keys.current();
        String host = serverName != null ? serverName : peerHost;
        SSLEngine engine = client && host != null ? context.createSSLEngine(host, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        if (client) {
            if (verifyHostname) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && !isAddressLiteral(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
        } else if (clientAuth == ClientAuth.REQUIRED) {
            parameters.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.OPTIONAL) {
            parameters.setWantClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    Executor taskExecutor() {
        return taskExecutor;
    }

    /** {@return the answer to plain text on a TLS server, or null to disconnect at once} */
    byte[] plaintextAnswer() {
        return plaintextAnswer;
    }

    private static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** The key and trust sources, read again on every {@link #load()}. */
    private static final class Keys {
        private final boolean client;
        private final Path certificateChain;
        private final Path privateKey;
        private final Path keyStore;
        private final char[] keyStorePassword;
        private final Path trustFile;
        private final char[] trustPassword;
        private final boolean trustAll;
        private final SSLContext given;
        private volatile SSLContext current;

        Keys(Builder builder) {
            this.client = builder.client;
            this.certificateChain = builder.certificateChain;
            this.privateKey = builder.privateKey;
            this.keyStore = builder.keyStore;
            this.keyStorePassword = builder.keyStorePassword;
            this.trustFile = builder.trustFile;
            this.trustPassword = builder.trustPassword;
            this.trustAll = builder.trustAll;
            this.given = builder.sslContext;
        }

        synchronized void load() throws IOException {
            if (given != null) {
                current = given;
                return;
            }
            KeyManager[] keyManagers = null;
            if (certificateChain != null) {
                keyManagers = KeyMaterial.fromPem(certificateChain, privateKey);
            } else if (keyStore != null) {
                keyManagers = KeyMaterial.fromKeyStore(keyStore, keyStorePassword);
            }
            TrustManager[] trustManagers = null;
            if (trustAll) {
                trustManagers = new TrustManager[] {TrustingAll.INSTANCE};
            } else if (trustFile != null) {
                trustManagers = KeyMaterial.trusting(trustFile, trustPassword);
            }
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers, trustManagers, null);
                current = context;
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "TLS " + (client ? "client" : "server") + " keys loaded");
        }

        SSLContext current() {
            SSLContext context = current;
            if (context == null) {
                throw new IllegalStateException("TLS keys not loaded: call TlsContext.load() first");
            }
            return context;
        }
    }

    /** For {@link Builder#trustAll()}: accepts any certificate, so only for tests on one's own machine. */
    private static final class TrustingAll extends X509ExtendedTrustManager {
        static final TrustingAll INSTANCE = new TrustingAll();

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Builds a {@link TlsContext}; a server's needs its keys, everything else has a default. */
    public static final class Builder {
        private final boolean client;
        private Path certificateChain;
        private Path privateKey;
        private Path keyStore;
        private char[] keyStorePassword;
        private SSLContext sslContext;
        private Path trustFile;
        private char[] trustPassword;
        private boolean trustAll;
        private ClientAuth clientAuth;
        private String serverName;
        private List<String> applicationProtocols = List.of();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Executor taskExecutor;

        private Builder(boolean client) {
            this.client = client;
        }

        /**
         * This side's certificate and key, as PEM files: the chain leaf first, as Let's Encrypt
         * writes {@code fullchain.pem}; the key unencrypted, as PKCS#8 ({@code PRIVATE KEY}),
         * PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). On a client it is
         * the certificate shown to a server that asks for one.
         *
         * @param chain the certificate chain
         * @param key the private key of the chain's first certificate
         * @return this builder
         */
        public Builder certificate(Path chain, Path key) {
            this.certificateChain = Objects.requireNonNull(chain, "chain");
            this.privateKey = Objects.requireNonNull(key, "key");
            this.keyStore = null;
            this.sslContext = null;
            return this;
        }

        /**
         * This side's certificate and key from a PKCS#12 or JKS keystore with one key entry.
         *
         * @param store the keystore file
         * @param password its password (and the key's); null or empty for none
         * @return this builder
         */
        public Builder keyStore(Path store, char[] password) {
            this.keyStore = Objects.requireNonNull(store, "store");
            this.keyStorePassword = password == null ? null : password.clone();
            this.certificateChain = null;
            this.sslContext = null;
            return this;
        }

        /**
         * An {@link SSLContext} made elsewhere, used as it is instead of files ({@link #load()}
         * then has nothing to read again).
         *
         * @param context initialised with the keys and trust wanted
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            this.certificateChain = null;
            this.keyStore = null;
            return this;
        }

        /**
         * The certificates to trust, instead of the JDK's default authorities: a PEM file of
         * one or more certificates, or a PKCS#12 or JKS keystore. A client checks the server's
         * chain against it; a server, its clients' (see {@link #clientAuth}).
         *
         * @param file the trusted certificates
         * @return this builder
         */
        public Builder trust(Path file) {
            return trust(file, null);
        }

        /**
         * As {@link #trust(Path)}, for a PKCS#12 keystore whose certificates are encrypted, as
         * keytool writes them, or a keystore whose integrity is to be checked.
         *
         * @param file the trusted certificates, a keystore
         * @param password its password; null for none
         * @return this builder
         */
        public Builder trust(Path file, char[] password) {
            this.trustFile = Objects.requireNonNull(file, "file");
            this.trustPassword = password == null ? null : password.clone();
            this.trustAll = false;
            return this;
        }

        /**
         * A client trusts any server certificate for any name: encryption without
         * authentication, for tests against one's own machine only.
         *
         * @return this builder
         */
        public Builder trustAll() {
            this.trustAll = true;
            this.trustFile = null;
            this.trustPassword = null;
            return this;
        }

        /**
         * Mutual TLS: a server asks each client for a certificate, checked against
         * {@code trustFile}. The handler finds the verified certificate in
         * {@link io.jepoll.net.Connection#tlsSession()}.
         *
         * @param mode whether a certificate is required or only checked when given
         * @param trustFile the certificates (authorities) that client certificates must chain to
         * @return this builder
         */
        public Builder clientAuth(ClientAuth mode, Path trustFile) {
            this.clientAuth = Objects.requireNonNull(mode, "mode");
            return trust(trustFile);
        }

        /**
         * The server name a client sends (SNI) and checks the certificate against, instead of
         * the host it connects to.
         *
         * @param name a DNS name
         * @return this builder
         */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The protocols offered in ALPN, most preferred first (default none; HTTP servers and
         * clients offer {@code http/1.1}).
         *
         * @param protocols protocol names
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * How long a peer has from connecting to finishing its handshake; it is then disconnected.
         *
         * @param timeout more than zero (default {@link #DEFAULT_HANDSHAKE_TIMEOUT})
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be > 0: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Where the handshake's heavy steps run (signatures, key exchange: the engine's
         * delegated tasks), so that a loop never waits for them. Default: a pool shared by every
         * context, a daemon thread per core.
         *
         * @param executor runs the engine's delegated tasks
         * @return this builder
         */
        public Builder taskExecutor(Executor executor) {
            this.taskExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * {@return the context; its files are read by {@link TlsContext#load()}, which servers
         * and clients call when they start}
         *
         * @throws IllegalStateException when a server has no certificate, or a client both trusts
         *     everything and a file
         */
        public TlsContext build() {
            if (!client && certificateChain == null && keyStore == null && sslContext == null) {
                throw new IllegalStateException("a TLS server needs a certificate: certificate(chain, key) or keyStore(...)");
            }
            if (client && clientAuth != null) {
                throw new IllegalStateException("clientAuth is a server's setting; a client presents certificate(chain, key)");
            }
            return new TlsContext(this);
        }
    }
}
