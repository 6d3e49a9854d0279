package io.jepoll.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** TEMPORARY STUB until the real one lands. */
final class KeyMaterial {
    private KeyMaterial() {
    }

    static KeyManager[] fromPem(Path certificateChain, Path privateKey) throws IOException {
        throw new IOException("not yet");
    }

    static KeyManager[] fromKeyStore(Path keyStore, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(store, password);
            return f.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    static TrustManager[] trusting(Path trustFile) throws IOException {
        try (InputStream in = Files.newInputStream(trustFile)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
