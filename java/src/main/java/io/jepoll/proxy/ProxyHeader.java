package io.jepoll.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A PROXY protocol header (version 1, a text line, or version 2, binary), read from the first
 * bytes of a connection as haproxy's proxy-protocol.txt defines it. {@link #parse} reads what
 * has arrived without consuming it: a header still incomplete gives null, a header that cannot
 * become valid is refused as soon as a byte proves it, and a whole one says how many bytes it
 * took, so that what follows it is the protocol's.
 */
final class ProxyHeader {

    /** The longest v1 line the specification allows, CRLF included. */
    static final int V1_MAX_LENGTH = 107;
    /**
     * The most bytes of addresses and TLVs a v2 header may carry here. The format allows 65535;
     * balancers send at most a few hundred (addresses, a unique id, an authority, TLS details).
     */
    static final int V2_MAX_BLOCK_LENGTH = 4096;
    /** The fixed part of a v2 header: signature, version and command, family, block length. */
    static final int V2_FIXED_LENGTH = 16;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    private static final int COMMAND_LOCAL = 0x0;
    private static final int COMMAND_PROXY = 0x1;
    private static final int FAMILY_UNSPEC = 0x00;
    private static final int TCP_OVER_IPV4 = 0x11;
    private static final int TCP_OVER_IPV6 = 0x21;
    private static final int STREAM_OVER_UNIX = 0x31;
    private static final int IPV4_BLOCK = 12;
    private static final int IPV6_BLOCK = 36;
    private static final int UNIX_BLOCK = 216;
    private static final int TLV_HEAD = 3;

    /** How many bytes the header took, CRLF or TLVs included. */
    final int length;
    /** The client's address as the proxy saw it; null where the connection's own addresses stand. */
    final InetSocketAddress source;
    /** The address the client connected to; null where the connection's own addresses stand. */
    final InetSocketAddress destination;

    private ProxyHeader(int length, InetSocketAddress source, InetSocketAddress destination) {
        this.length = length;
        this.source = source;
        this.destination = destination;
    }

    /** A header refused: the reason says what is wrong, for the log. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The header at {@code in}'s position, read with absolute gets up to its limit and never past
     * the header's end; {@code in} is left as it was.
     *
     * @return the header, or null while the bytes so far may still become one
     * @throws Refused when no more bytes could make them a valid header of version 1 or 2
     */
    static ProxyHeader parse(ByteBuffer in) throws Refused {
        int start = in.position();
        int available = in.remaining();
        if (available == 0) {
            return null;
        }
        byte first = in.get(start);
        if (first == V1_PREFIX[0]) {
            return v1(in, start, available);
        }
        if (first == V2_SIGNATURE[0]) {
            return v2(in, start, available);
        }
        throw new Refused("no PROXY protocol header: the connection starts with " + printable(in, start, available));
    }

    private static void checkSignature(ByteBuffer in, int start, int available, byte[] signature, String version)
            throws Refused {
        for (int i = 0; i < Math.min(available, signature.length); i++) {
            if (in.get(start + i) != signature[i]) {
                throw new Refused("no PROXY protocol header: not the " + version + " signature: "
                        + printable(in, start, available));
            }
        }
    }

    private static ProxyHeader v1(ByteBuffer in, int start, int available) throws Refused {
        checkSignature(in, start, available, V1_PREFIX, "v1");
        int scan = Math.min(available, V1_MAX_LENGTH);
        for (int i = 0; i < scan; i++) {
            int b = in.get(start + i) & 0xFF;
            if (b == '\n') {
                if (i == 0 || in.get(start + i - 1) != '\r') {
                    throw new Refused("a v1 header ending in LF without CR");
                }
                return v1Line(ascii(in, start, i - 1), i + 1);
            }
            if (b == '\r' && i + 1 < available && in.get(start + i + 1) != '\n') {
                throw new Refused("a CR not followed by LF in a v1 header");
            }
            if ((b < 0x20 && b != '\r') || b >= 0x7F) {
                throw new Refused(String.format("a byte 0x%02x, not printable ASCII, in a v1 header", b));
            }
        }
        if (available >= V1_MAX_LENGTH) {
            throw new Refused("a v1 header without CRLF in its first " + V1_MAX_LENGTH + " bytes");
        }
        return null;
    }

    /** {@code PROXY TCP4|TCP6 source destination sourcePort destinationPort}, or {@code PROXY UNKNOWN...}. */
    private static ProxyHeader v1Line(String line, int length) throws Refused {
        String[] fields = line.split(" ", -1);
        String protocol = fields[1];
        if (protocol.equals("UNKNOWN")) {
            // The specification has the receiver ignore whatever follows UNKNOWN.
            return new ProxyHeader(length, null, null);
        }
        boolean ipv4 = protocol.equals("TCP4");
        if (!ipv4 && !protocol.equals("TCP6")) {
            throw new Refused("a v1 header for an unknown protocol: " + quoted(protocol));
        }
        if (fields.length != 6) {
            throw new Refused("a v1 " + protocol + " header without exactly four fields, each after one space: "
                    + quoted(line));
        }
        InetAddress source = ipv4 ? v1Ipv4(fields[2]) : v1Ipv6(fields[2]);
        InetAddress destination = ipv4 ? v1Ipv4(fields[3]) : v1Ipv6(fields[3]);
        return new ProxyHeader(length, new InetSocketAddress(source, v1Port(fields[4])),
                new InetSocketAddress(destination, v1Port(fields[5])));
    }

    /** Four decimal bytes, no leading zeros (which some parsers read as octal). */
    private static InetAddress v1Ipv4(String text) throws Refused {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new Refused("not an IPv4 address in a v1 TCP4 header: " + quoted(text));
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = (byte) decimal(parts[i], 3, 255, "an IPv4 address", text);
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("four bytes are an IPv4 address", impossible);
        }
    }

    /**
     * An IPv6 address in text. Only hex digits, colons and dots, starting with a hex digit or a
     * colon and holding a colon: {@link InetAddress#getByName} then parses a literal, and refuses
     * a malformed one, without ever looking a name up.
     */
    private static InetAddress v1Ipv6(String text) throws Refused {
        boolean literal = !text.isEmpty() && text.length() <= 45 && text.indexOf(':') >= 0
                && (Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':');
        for (int i = 0; literal && i < text.length(); i++) {
            char c = text.charAt(i);
            literal = Character.digit(c, 16) >= 0 || c == ':' || c == '.';
        }
        if (literal) {
            try {
                // An IPv4-mapped address (::ffff:a.b.c.d) comes back as the IPv4 address it maps.
                return InetAddress.getByName(text);
            } catch (UnknownHostException malformed) {
                // Refused below.
            }
        }
        throw new Refused("not an IPv6 address in a v1 TCP6 header: " + quoted(text));
    }

    private static int v1Port(String text) throws Refused {
        return decimal(text, 5, 65535, "a port", text);
    }

    /** 1 to {@code maxDigits} decimal digits, no leading zero, at most {@code max}. */
    private static int decimal(String text, int maxDigits, int max, String what, String field) throws Refused {
        int length = text.length();
        if (length == 0 || length > maxDigits || (length > 1 && text.charAt(0) == '0')) {
            throw new Refused("not " + what + " in a v1 header: " + quoted(field));
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new Refused("not " + what + " in a v1 header: " + quoted(field));
            }
            value = value * 10 + (c - '0');
        }
        if (value > max) {
            throw new Refused(what + " over " + max + " in a v1 header: " + quoted(field));
        }
        return value;
    }

    private static ProxyHeader v2(ByteBuffer in, int start, int available) throws Refused {
        checkSignature(in, start, available, V2_SIGNATURE, "v2");
        if (available <= V2_SIGNATURE.length) {
            return null;
        }
        int versionAndCommand = in.get(start + 12) & 0xFF;
        if (versionAndCommand >>> 4 != 2) {
            throw new Refused("a v2 signature with version " + (versionAndCommand >>> 4) + ", not 2");
        }
        int command = versionAndCommand & 0xF;
        if (command != COMMAND_LOCAL && command != COMMAND_PROXY) {
            throw new Refused("a v2 header with an unknown command " + command);
        }
        if (available < V2_FIXED_LENGTH - 2) {
            return null;
        }
        // LOCAL (a balancer's health check) has the family ignored: the connection is its own.
        int family = in.get(start + 13) & 0xFF;
        int addressLength = command == COMMAND_LOCAL ? 0 : addressLength(family);
        if (available < V2_FIXED_LENGTH) {
            return null;
        }
        int blockLength = (in.get(start + 14) & 0xFF) << 8 | (in.get(start + 15) & 0xFF);
        if (blockLength > V2_MAX_BLOCK_LENGTH) {
            throw new Refused("a v2 header of " + blockLength + " bytes after its first 16, over the limit of "
                    + V2_MAX_BLOCK_LENGTH);
        }
        if (blockLength < addressLength) {
            throw new Refused(String.format("a v2 header of %d bytes after its first 16, too short for the"
                    + " %d bytes of addresses of family 0x%02x", blockLength, addressLength, family));
        }
        int length = V2_FIXED_LENGTH + blockLength;
        if (available < length) {
            return null;
        }
        int block = start + V2_FIXED_LENGTH;
        if (command == COMMAND_LOCAL || family == FAMILY_UNSPEC) {
            return new ProxyHeader(length, null, null);
        }
        checkTlvs(in, block + addressLength, block + blockLength);
        if (family == STREAM_OVER_UNIX) {
            // A client on a Unix socket of the balancer's has no IP address to report.
            return new ProxyHeader(length, null, null);
        }
        int bytes = family == TCP_OVER_IPV4 ? 4 : 16;
        return new ProxyHeader(length, new InetSocketAddress(address(in, block, bytes), u16(in, block + 2 * bytes)),
                new InetSocketAddress(address(in, block + bytes, bytes), u16(in, block + 2 * bytes + 2)));
    }

    /** The bytes of addresses a PROXY command carries for {@code family}. */
    private static int addressLength(int family) throws Refused {
        switch (family) {
            case FAMILY_UNSPEC:
                return 0;
            case TCP_OVER_IPV4:
                return IPV4_BLOCK;
            case TCP_OVER_IPV6:
                return IPV6_BLOCK;
            case STREAM_OVER_UNIX:
                return UNIX_BLOCK;
            default:
                int transport = family & 0xF;
                throw new Refused(String.format(family >>> 4 <= 3 && transport == 2
                        ? "a v2 header for a datagram connection (family 0x%02x) on a TCP connection"
                        : "a v2 header with an unknown address family and transport 0x%02x", family));
        }
    }

    /** The TLVs after the addresses, skipped: each must end within the header. */
    private static void checkTlvs(ByteBuffer in, int from, int end) throws Refused {
        int at = from;
        while (at < end) {
            if (end - at < TLV_HEAD) {
                throw new Refused("a v2 header ending in " + (end - at) + " bytes, too few for a TLV");
            }
            int length = u16(in, at + 1);
            if (length > end - at - TLV_HEAD) {
                throw new Refused(String.format("a v2 TLV of type 0x%02x and %d bytes, past the header's end",
                        in.get(at) & 0xFF, length));
            }
            at += TLV_HEAD + length;
        }
    }

    private static InetAddress address(ByteBuffer in, int at, int length) {
        byte[] bytes = new byte[length];
        in.get(at, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 or 16 bytes are an IP address", impossible);
        }
    }

    private static int u16(ByteBuffer in, int at) {
        return (in.get(at) & 0xFF) << 8 | (in.get(at + 1) & 0xFF);
    }

    private static String ascii(ByteBuffer in, int from, int length) {
        byte[] bytes = new byte[length];
        in.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** The first bytes, for a log line: printable ASCII as it is, the rest in hex. */
    private static String printable(ByteBuffer in, int start, int available) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < Math.min(available, 16); i++) {
            int b = in.get(start + i) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.append(available > 16 ? "\"..." : "\"").toString();
    }
}
