package io.jepoll.shim;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Converts between {@link InetSocketAddress} and the shim's fixed address layout
 * ({@link Shim#ADDRESS_SIZE} bytes at the start of a native-order buffer), and between a
 * {@link UnixDomainSocketAddress} and the bytes of its path.
 */
public final class NativeAddress {

    private static final int FAMILY = 0;
    private static final int PORT = 4;
    private static final int SCOPE = 8;
    private static final int BYTES = 12;

    /** How the JDK encodes file names, and so how java.nio names a Unix socket: the same bytes on every transport. */
    private static final Charset FILE_NAMES = fileNameCharset();

    private NativeAddress() {
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * The bytes a Unix socket's address holds for {@code path}, as the JDK encodes file names.
     *
     * @throws IllegalArgumentException when they are more than {@link Shim#UNIX_PATH_MAX} or
     *     none, the message naming the path and its length
     */
    public static byte[] unixPath(Path path) {
        byte[] bytes = path.toString().getBytes(FILE_NAMES);
        if (bytes.length > Shim.UNIX_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path too long: " + bytes.length
                    + " bytes, a socket address holds at most " + Shim.UNIX_PATH_MAX + ": " + path);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a Unix socket needs a path, not an empty one");
        }
        return bytes;
    }

    /**
     * The address of the {@code length} path bytes at index 0 of {@code in}. An unnamed socket
     * (length 0) and an abstract name (a leading NUL, which a {@link Path} cannot hold) are
     * the unnamed address, as java.nio reports an unnamed socket: an empty path.
     */
    public static UnixDomainSocketAddress unixAddress(ByteBuffer in, int length) {
        if (length == 0 || in.get(0) == 0) {
            return UnixDomainSocketAddress.of("");
        }
        byte[] bytes = new byte[length];
        in.get(0, bytes);
        return UnixDomainSocketAddress.of(new String(bytes, FILE_NAMES));
    }

    /** Writes {@code address} into {@code out} at index 0 and returns its family, 4 or 6. */
    public static int encode(InetSocketAddress address, ByteBuffer out) throws UnknownHostException {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new UnknownHostException("unresolved address: " + address.getHostString());
        }
        byte[] raw = ip.getAddress();
        int family = raw.length == 4 ? 4 : 6;
        for (int i = 0; i < Shim.ADDRESS_SIZE; i++) {
            out.put(i, (byte) 0);
        }
        out.putInt(FAMILY, family);
        out.putInt(PORT, address.getPort());
        out.putInt(SCOPE, ip instanceof Inet6Address v6 ? v6.getScopeId() : 0);
        out.put(BYTES, raw);
        return family;
    }

    /** Reads the address at index 0 of {@code in}. */
    public static InetSocketAddress decode(ByteBuffer in) throws UnknownHostException {
        int family = in.getInt(FAMILY);
        int port = in.getInt(PORT);
        byte[] raw = new byte[family == 4 ? 4 : 16];
        in.get(BYTES, raw);
        InetAddress ip = family == 6 && in.getInt(SCOPE) != 0
                ? Inet6Address.getByAddress(null, raw, in.getInt(SCOPE))
                : InetAddress.getByAddress(raw);
        return new InetSocketAddress(ip, port);
    }
}
