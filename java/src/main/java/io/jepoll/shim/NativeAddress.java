package io.jepoll.shim;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Converts between {@link InetSocketAddress} and the shim's fixed address layout
 * ({@link Shim#ADDRESS_SIZE} bytes at the start of a native-order buffer).
 */
public final class NativeAddress {

    private static final int FAMILY = 0;
    private static final int PORT = 4;
    private static final int SCOPE = 8;
    private static final int BYTES = 12;

    private NativeAddress() {
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
