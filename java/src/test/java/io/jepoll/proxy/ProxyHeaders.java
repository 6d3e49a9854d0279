package io.jepoll.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers made by hand, byte by byte as haproxy's proxy-protocol.txt draws them,
 * for the tests: v1 lines, v2 headers with any command, family, addresses and TLVs, and the
 * pieces to break them with.
 */
public final class ProxyHeaders {

    /** The v2 signature: {@code \r\n\r\n\0\r\nQUIT\n}. */
    public static final byte[] V2_SIGNATURE = {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    public static final int LOCAL = 0x20;
    public static final int PROXY = 0x21;
    public static final int UNSPEC = 0x00;
    public static final int TCP4 = 0x11;
    public static final int TCP6 = 0x21;
    public static final int UNIX_STREAM = 0x31;
    /** PP2_TYPE_AUTHORITY: the host name a client asked for (SNI). */
    public static final int TLV_AUTHORITY = 0x02;
    /** PP2_TYPE_UNIQUE_ID. */
    public static final int TLV_UNIQUE_ID = 0x05;
    /** PP2_TYPE_NOOP: padding. */
    public static final int TLV_NOOP = 0x04;

    /** The client of the tests' headers, from the documentation ranges. */
    public static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 51234);
    public static final InetSocketAddress DESTINATION = new InetSocketAddress("198.51.100.1", 443);
    public static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:db8::7", 40001);
    public static final InetSocketAddress DESTINATION6 = new InetSocketAddress("2001:db8::1", 8443);

    private ProxyHeaders() {
    }

    /** A v1 line as given, CRLF added. */
    public static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code PROXY TCP4 203.0.113.7 198.51.100.1 51234 443\r\n}. */
    public static byte[] v1Tcp4() {
        return v1("PROXY TCP4 203.0.113.7 198.51.100.1 51234 443");
    }

    /** {@code PROXY TCP6 2001:db8::7 2001:db8::1 40001 8443\r\n}. */
    public static byte[] v1Tcp6() {
        return v1("PROXY TCP6 2001:db8::7 2001:db8::1 40001 8443");
    }

    /** A v2 PROXY header for TCP over IPv4 from {@link #CLIENT} to {@link #DESTINATION}, with {@code tlvs} after the addresses. */
    public static byte[] v2Tcp4(byte[]... tlvs) {
        return v2(PROXY, TCP4, concat(addresses(CLIENT, DESTINATION), concat(tlvs)));
    }

    /** A v2 PROXY header for TCP over IPv6 from {@link #CLIENT6} to {@link #DESTINATION6}. */
    public static byte[] v2Tcp6(byte[]... tlvs) {
        return v2(PROXY, TCP6, concat(addresses(CLIENT6, DESTINATION6), concat(tlvs)));
    }

    /** A v2 LOCAL header: a balancer's health check, no addresses. */
    public static byte[] v2Local() {
        return v2(LOCAL, UNSPEC, new byte[0]);
    }

    /** A v2 header: the signature, {@code versionAndCommand}, {@code family}, the block's length and the block. */
    public static byte[] v2(int versionAndCommand, int family, byte[] block) {
        return v2(versionAndCommand, family, block.length, block);
    }

    /** A v2 header whose length field says {@code length}, whatever the block's own length. */
    public static byte[] v2(int versionAndCommand, int family, int length, byte[] block) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(versionAndCommand);
        header.write(family);
        header.write(length >>> 8);
        header.write(length & 0xFF);
        header.writeBytes(block);
        return header.toByteArray();
    }

    /** Source address, destination address, source port, destination port, as v2 puts them. */
    public static byte[] addresses(InetSocketAddress source, InetSocketAddress destination) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(source.getAddress().getAddress());
        block.writeBytes(destination.getAddress().getAddress());
        block.write(source.getPort() >>> 8);
        block.write(source.getPort() & 0xFF);
        block.write(destination.getPort() >>> 8);
        block.write(destination.getPort() & 0xFF);
        return block.toByteArray();
    }

    /** A TLV: its type, its value's length (two bytes, big-endian), its value. */
    public static byte[] tlv(int type, byte[] value) {
        return concat(new byte[] {(byte) type, (byte) (value.length >>> 8), (byte) value.length}, value);
    }

    public static byte[] tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
