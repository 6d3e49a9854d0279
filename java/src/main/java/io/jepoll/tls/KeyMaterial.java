package io.jepoll.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns the files users have (PEM certificates and keys, PKCS#12 and JKS keystores) into the JDK's
 * key and trust managers. Every failure is an {@link IOException} whose message starts with the
 * file's path and says what is wrong with it.
 */
final class KeyMaterial {

    private static final System.Logger LOG = System.getLogger(KeyMaterial.class.getName());

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern PEM_HEADER = Pattern.compile("^[A-Za-z-]+:.*$", Pattern.MULTILINE);

    /** Algorithm OIDs (DER content bytes, hex) to the JDK's KeyFactory names. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "2a864886f70d010101", "RSA",
            "2a8648ce3d0201", "EC",
            "2b6570", "Ed25519",
            "2b6571", "Ed448");
    private static final byte[] RSA_ALGORITHM = der(0x30, der(0x06, hex("2a864886f70d010101")), der(0x05));
    private static final byte[] EC_PUBLIC_KEY_OID = der(0x06, hex("2a8648ce3d0201"));

    /** Protects the key inside the in-memory keystore the key managers are built from; never stored. */
    private static final char[] IN_MEMORY_PASSWORD = "jepoll".toCharArray();
    private static final String DECRYPT_HINT =
            "encrypted private keys are not supported; decrypt it first: openssl pkey -in k.pem -out plain.pem";

    private record PemBlock(String label, String headers, byte[] der) {
    }

    private KeyMaterial() {
    }

    /** Key managers for a PEM certificate chain (leaf first) and its PEM private key. */
    static KeyManager[] fromPem(Path certificateChain, Path privateKey) throws IOException {
        List<X509Certificate> chain = certificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey);
        requireMatch(key, privateKey, chain.get(0), certificateChain);
        warnUnlessValid(chain.get(0), certificateChain);
        return keyManagers(key, chain.toArray(new X509Certificate[0]), privateKey);
    }

    /**
     * Key managers from a PKCS#12 or JKS keystore (type found from the content, not the file name);
     * its one key entry (or fail naming the aliases when there are several key entries), password may
     * be null/empty.
     */
    static KeyManager[] fromKeyStore(Path keyStore, char[] password) throws IOException {
        char[] secret = password == null ? new char[0] : password;
        KeyStore store = loadKeyStore(keyStore, secret);
        List<String> keyAliases = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.isEmpty()) {
                throw problem(keyStore, "no private key entry (entries: "
                        + Collections.list(store.aliases()) + ")", null);
            }
            if (keyAliases.size() > 1) {
                throw problem(keyStore, "several private key entries " + keyAliases + "; keep only one", null);
            }
            String alias = keyAliases.get(0);
            PrivateKey key = (PrivateKey) store.getKey(alias, secret);
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(chain[0] instanceof X509Certificate leaf)) {
                throw problem(keyStore, "the certificate of entry '" + alias + "' is not X.509", null);
            }
            requireMatch(key, keyStore, leaf, keyStore);
            warnUnlessValid(leaf, keyStore);
            return keyManagers(key, chain, keyStore);
        } catch (UnrecoverableKeyException e) {
            throw problem(keyStore, "cannot decrypt the private key with the keystore password"
                    + " (its key password must be the keystore password)", e);
        } catch (GeneralSecurityException e) {
            throw problem(keyStore, "cannot read the key entry: " + e.getMessage(), e);
        }
    }

    /** Trust managers that trust the certificates in a PEM file (one or many CA certs), or a PKCS#12/JKS keystore. */
    static TrustManager[] trusting(Path trustFile) throws IOException {
        return trusting(trustFile, null);
    }

    /**
     * As {@link #trusting(Path)}, for a keystore whose certificates are encrypted (keytool's PKCS#12
     * files are) or whose integrity should be checked with its password.
     */
    static TrustManager[] trusting(Path trustFile, char[] password) throws IOException {
        byte[] content = read(trustFile);
        KeyStore trusted;
        if (keyStoreType(content) == null) {
            trusted = emptyKeyStore(trustFile);
            int number = 0;
            for (X509Certificate certificate : certificates(trustFile, content)) {
                warnUnlessValid(certificate, trustFile);
                number++;
                try {
                    trusted.setCertificateEntry("ca-" + number, certificate);
                } catch (GeneralSecurityException e) {
                    throw problem(trustFile, "cannot hold certificate " + number + ": " + e.getMessage(), e);
                }
            }
        } else {
            trusted = loadKeyStore(trustFile, password);
            if (countCertificates(trusted, trustFile) == 0) {
                throw problem(trustFile, password == null
                        ? "no certificate readable without a password (give the keystore's password)"
                        : "no certificate in the keystore", null);
            }
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw problem(trustFile, "cannot build trust managers: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(PrivateKey key, Certificate[] chain, Path file) throws IOException {
        try {
            KeyStore store = emptyKeyStore(file);
            store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw problem(file, "cannot build key managers: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyKeyStore(Path file) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException e) {
            throw problem(file, "no PKCS12 keystore in this JDK: " + e.getMessage(), e);
        }
    }

    private static KeyStore loadKeyStore(Path file, char[] password) throws IOException {
        byte[] content = read(file);
        String type = keyStoreType(content);
        if (type == null) {
            throw problem(file, "not a PKCS#12 or JKS keystore", null);
        }
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(new ByteArrayInputStream(content), password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw problem(file, "wrong keystore password", e);
            }
            throw problem(file, "not a readable " + type + " keystore: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw problem(file, "not a readable " + type + " keystore: " + e.getMessage(), e);
        }
    }

    /**
     * JKS from its magic number, PKCS#12 from its outer DER SEQUENCE with a long-form length (which
     * text never starts with); null for anything else (PEM).
     */
    private static String keyStoreType(byte[] content) {
        if (content.length < 4) {
            return null;
        }
        if ((content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xed
                && (content[2] & 0xff) == 0xfe && (content[3] & 0xff) == 0xed) {
            return "JKS";
        }
        return content[0] == 0x30 && (content[1] & 0xff) > 0x80 ? "PKCS12" : null;
    }

    private static int countCertificates(KeyStore store, Path file) throws IOException {
        try {
            int count = 0;
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    warnUnlessValid(certificate, file);
                    count++;
                }
            }
            return count;
        } catch (GeneralSecurityException e) {
            throw problem(file, "cannot list the keystore's entries: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        return certificates(file, read(file));
    }

    private static List<X509Certificate> certificates(Path file, byte[] content) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : pemBlocks(file, content)) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw problem(file, "bad DER in CERTIFICATE block " + (chain.size() + 1) + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw problem(file, "no CERTIFICATE block" + foundLabels(file, content), null);
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] content = read(file);
        for (PemBlock block : pemBlocks(file, content)) {
            if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.headers().contains("ENCRYPTED")) {
                throw problem(file, DECRYPT_HINT, null);
            }
            byte[] pkcs8 = switch (block.label()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> der(0x30, der(0x02, new byte[] {0}), RSA_ALGORITHM, der(0x04, block.der()));
                case "EC PRIVATE KEY" -> der(0x30, der(0x02, new byte[] {0}),
                        der(0x30, EC_PUBLIC_KEY_OID, curveOf(block.der(), file)), der(0x04, block.der()));
                default -> null;
            };
            if (pkcs8 != null) {
                return pkcs8Key(pkcs8, file);
            }
        }
        throw problem(file, "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block" + foundLabels(file, content),
                null);
    }

    private static PrivateKey pkcs8Key(byte[] pkcs8, Path file) throws IOException {
        String algorithm;
        try {
            DerReader info = new DerReader(pkcs8, file).enter(0x30);
            info.next(0x02);
            byte[] oid = info.enter(0x30).next(0x06);
            algorithm = KEY_ALGORITHMS.get(HexFormat.of().formatHex(oid));
            if (algorithm == null) {
                throw problem(file, "unsupported key algorithm " + dotted(oid) + " (RSA, EC, Ed25519 and Ed448 are)",
                        null);
            }
        } catch (IndexOutOfBoundsException e) {
            throw problem(file, "bad DER in the private key", e);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw problem(file, "bad DER in the " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /** The named curve's OID (whole TLV) from a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curveOf(byte[] sec1, Path file) throws IOException {
        try {
            DerReader key = new DerReader(sec1, file).enter(0x30);
            key.next(0x02);
            key.next(0x04);
            if (!key.hasNext(0xa0)) {
                throw problem(file, "the EC PRIVATE KEY names no curve (no [0] parameters)", null);
            }
            DerReader parameters = key.enter(0xa0);
            if (!parameters.hasNext(0x06)) {
                throw problem(file, "the EC PRIVATE KEY has explicit curve parameters; only named curves are supported",
                        null);
            }
            return der(0x06, parameters.next(0x06));
        } catch (IndexOutOfBoundsException e) {
            throw problem(file, "bad DER in the EC PRIVATE KEY", e);
        }
    }

    private static void requireMatch(PrivateKey key, Path keyFile, X509Certificate leaf, Path certificateFile)
            throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw problem(keyFile, "unsupported key algorithm " + key.getAlgorithm(), null);
        };
        byte[] probe = "jepoll key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw problem(keyFile, "the private key (" + key.getAlgorithm() + ") does not match the certificate "
                    + leaf.getSubjectX500Principal() + " (" + leaf.getPublicKey().getAlgorithm() + ") in "
                    + certificateFile, null);
        }
    }

    /** A lapsed certificate is logged, not refused: refusing it would turn a missed renewal into an outage. */
    private static void warnUnlessValid(X509Certificate certificate, Path file) {
        String state;
        try {
            certificate.checkValidity();
            return;
        } catch (CertificateExpiredException e) {
            state = "has expired";
        } catch (CertificateNotYetValidException e) {
            state = "is not valid yet";
        }
        LOG.log(System.Logger.Level.WARNING, "the certificate " + certificate.getSubjectX500Principal() + " in "
                + file + " " + state + ": valid from " + certificate.getNotBefore().toInstant() + " to "
                + certificate.getNotAfter().toInstant());
    }

    private static List<PemBlock> pemBlocks(Path file, byte[] content) throws IOException {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.isBlank()) {
            throw problem(file, "the file is empty", null);
        }
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(text);
        while (matcher.find()) {
            String label = matcher.group(1);
            String body = matcher.group(2);
            if (body.contains("-----BEGIN ")) {
                throw problem(file, "truncated PEM: a BEGIN " + label + " block has no END line", null);
            }
            Matcher headers = PEM_HEADER.matcher(body);
            StringBuilder headerText = new StringBuilder();
            while (headers.find()) {
                headerText.append(headers.group()).append('\n');
            }
            String base64 = PEM_HEADER.matcher(body).replaceAll("").replaceAll("\\s", "");
            try {
                blocks.add(new PemBlock(label, headerText.toString(), Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw problem(file, "bad base64 in the " + label + " block: " + e.getMessage(), e);
            }
        }
        int begins = text.split("-----BEGIN ", -1).length - 1;
        if (begins > blocks.size()) {
            throw problem(file, "truncated PEM: a BEGIN line has no matching END line", null);
        }
        if (blocks.isEmpty()) {
            throw problem(file, "not PEM: no -----BEGIN ...----- block", null);
        }
        return blocks;
    }

    private static String foundLabels(Path file, byte[] content) throws IOException {
        return " (found: " + String.join(", ", pemBlocks(file, content).stream().map(PemBlock::label).toList()) + ")";
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw problem(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw problem(file, "not readable (permission denied)", e);
        } catch (IOException e) {
            throw problem(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static IOException problem(Path file, String what, Throwable cause) {
        return new IOException(file + ": " + what, cause);
    }

    /** One DER TLV with a definite length. */
    private static byte[] der(int tag, byte[]... contents) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            value.writeBytes(content);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    private static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits);
    }

    private static String dotted(byte[] oid) {
        StringBuilder out = new StringBuilder().append(oid[0] / 40).append('.').append(oid[0] % 40);
        long arc = 0;
        for (int i = 1; i < oid.length; i++) {
            arc = (arc << 7) | (oid[i] & 0x7f);
            if ((oid[i] & 0x80) == 0) {
                out.append('.').append(arc);
                arc = 0;
            }
        }
        return out.toString();
    }

    /**
     * Reads the TLVs of one DER value in order; a value cut short throws
     * {@link IndexOutOfBoundsException}, which callers report as bad DER.
     */
    private static final class DerReader {
        private final byte[] der;
        private final Path file;
        private int position;
        private final int end;

        DerReader(byte[] der, Path file) {
            this(der, file, 0, der.length);
        }

        private DerReader(byte[] der, Path file, int start, int end) {
            this.der = der;
            this.file = file;
            this.position = start;
            this.end = end;
        }

        boolean hasNext(int tag) {
            return position < end && (der[position] & 0xff) == tag;
        }

        /** The content of the next TLV, which must have this tag. */
        byte[] next(int tag) throws IOException {
            int start = contentStart(tag);
            int length = position - start;
            byte[] content = new byte[length];
            System.arraycopy(der, start, content, 0, length);
            return content;
        }

        /** A reader over the content of the next TLV, which must have this tag. */
        DerReader enter(int tag) throws IOException {
            int start = contentStart(tag);
            return new DerReader(der, file, start, position);
        }

        /** Moves past the next TLV and returns where its content starts. */
        private int contentStart(int tag) throws IOException {
            if (!hasNext(tag)) {
                throw problem(file, String.format("bad DER: expected tag 0x%02x at offset %d", tag, position), null);
            }
            int length = der[position + 1] & 0xff;
            int start = position + 2;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3) {
                    throw problem(file, "bad DER: unsupported length at offset " + position, null);
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += bytes;
            }
            if (start + length > end) {
                throw new IndexOutOfBoundsException("DER value runs past its end");
            }
            position = start + length;
            return start;
        }
    }
}
