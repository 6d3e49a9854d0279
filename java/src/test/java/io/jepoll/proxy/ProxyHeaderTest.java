package io.jepoll.proxy;

import static io.jepoll.proxy.ProxyHeaders.CLIENT;
import static io.jepoll.proxy.ProxyHeaders.CLIENT6;
import static io.jepoll.proxy.ProxyHeaders.DESTINATION;
import static io.jepoll.proxy.ProxyHeaders.DESTINATION6;
import static io.jepoll.proxy.ProxyHeaders.ascii;
import static io.jepoll.proxy.ProxyHeaders.concat;
import static io.jepoll.proxy.ProxyHeaders.tlv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header parser on hand-made headers: every field of v1 and v2, and every way a header can
 * be wrong, refused with a reason that names it; a header in pieces waits for its rest.
 */
class ProxyHeaderTest {

    private static final byte[] REQUEST = ascii("GET / HTTP/1.1\r\n\r\n");

    private static ProxyHeader parse(byte[] bytes) throws ProxyHeader.Refused {
        ByteBuffer in = ByteBuffer.allocate(bytes.length + 10).position(10);
        in.put(bytes).position(10);
        ProxyHeader header = ProxyHeader.parse(in);
        assertThat(in.position()).as("the parser moves nothing").isEqualTo(10);
        return header;
    }

    private static String refusal(byte[] bytes) {
        Throwable thrown = catchThrowable(() -> parse(bytes));
        assertThat(thrown).as("what parsing %s threw", new String(bytes, StandardCharsets.ISO_8859_1))
                .isInstanceOf(ProxyHeader.Refused.class);
        return thrown.getMessage();
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("v1 TCP4", ProxyHeaders.v1Tcp4(), CLIENT, DESTINATION),
                Arguments.of("v1 TCP6", ProxyHeaders.v1Tcp6(), CLIENT6, DESTINATION6),
                Arguments.of("v1 TCP6, IPv4-mapped", ProxyHeaders.v1("PROXY TCP6 ::ffff:203.0.113.7 ::1 1 65535"),
                        new InetSocketAddress("203.0.113.7", 1),
                        new InetSocketAddress("::1", 65535)),
                Arguments.of("v1 ports 0 and 65535", ProxyHeaders.v1("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535"),
                        new InetSocketAddress("0.0.0.0", 0), new InetSocketAddress("255.255.255.255", 65535)),
                Arguments.of("v1 UNKNOWN", ProxyHeaders.v1("PROXY UNKNOWN"), null, null),
                Arguments.of("v1 UNKNOWN with addresses after it",
                        ProxyHeaders.v1("PROXY UNKNOWN ffff:f::1 ffff:f::2 65535 65535"), null, null),
                Arguments.of("v2 TCP4", ProxyHeaders.v2Tcp4(), CLIENT, DESTINATION),
                Arguments.of("v2 TCP6", ProxyHeaders.v2Tcp6(), CLIENT6, DESTINATION6),
                Arguments.of("v2 TCP4 with TLVs", ProxyHeaders.v2Tcp4(tlv(ProxyHeaders.TLV_AUTHORITY, "example.com"),
                        tlv(ProxyHeaders.TLV_NOOP, new byte[0]), tlv(ProxyHeaders.TLV_UNIQUE_ID, new byte[128])),
                        CLIENT, DESTINATION),
                Arguments.of("v2 TCP6 with a TLV", ProxyHeaders.v2Tcp6(tlv(0xE0, "custom")), CLIENT6, DESTINATION6),
                Arguments.of("v2 LOCAL", ProxyHeaders.v2Local(), null, null),
                Arguments.of("v2 LOCAL, with a block it ignores", ProxyHeaders.v2(ProxyHeaders.LOCAL, 0x11,
                        ProxyHeaders.addresses(CLIENT, DESTINATION)), null, null),
                Arguments.of("v2 LOCAL, any family", ProxyHeaders.v2(ProxyHeaders.LOCAL, 0xFF, new byte[3]), null, null),
                Arguments.of("v2 PROXY, unspecified family", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.UNSPEC,
                        new byte[5]), null, null),
                Arguments.of("v2 PROXY, a Unix socket", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.UNIX_STREAM,
                        new byte[216]), null, null),
                Arguments.of("v2 TCP4, its length at the limit", ProxyHeaders.v2Tcp4(tlv(ProxyHeaders.TLV_NOOP,
                        new byte[ProxyHeader.V2_MAX_BLOCK_LENGTH - 12 - 3])), CLIENT, DESTINATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void aValidHeaderGivesItsAddressesAndLength(String what, byte[] header, InetSocketAddress source,
            InetSocketAddress destination) throws Exception {
        ProxyHeader parsed = parse(concat(header, REQUEST));

        assertThat(parsed.length).as("the header's length, the request after it not").isEqualTo(header.length);
        assertThat(parsed.source).isEqualTo(source);
        assertThat(parsed.destination).isEqualTo(destination);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyPieceOfAValidHeaderWaitsForTheRest(String what, byte[] header, InetSocketAddress source,
            InetSocketAddress destination) throws Exception {
        for (int length = 0; length < header.length; length++) {
            assertThat(parse(Arrays.copyOf(header, length))).as("the first %d bytes", length).isNull();
        }
        assertThat(parse(header).length).isEqualTo(header.length);
    }

    static Stream<Arguments> malformed() {
        byte[] v2Addresses = ProxyHeaders.addresses(CLIENT, DESTINATION);
        byte[] badSignature = ProxyHeaders.v2Tcp4();
        badSignature[7] = 'q';
        return Stream.of(
                Arguments.of("no header: an HTTP request", REQUEST, "no PROXY protocol header"),
                Arguments.of("no header: a TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5},
                        "no PROXY protocol header"),
                Arguments.of("v1 lower case", ProxyHeaders.v1("proxy TCP4 203.0.113.7 198.51.100.1 51234 443"),
                        "no PROXY protocol header"),
                Arguments.of("v1 without the space", ascii("PROXYTCP4"), "not the v1 signature"),
                Arguments.of("v2 bad signature", badSignature, "not the v2 signature"),
                Arguments.of("v1 unknown protocol", ProxyHeaders.v1("PROXY UDP4 203.0.113.7 198.51.100.1 1 2"),
                        "unknown protocol"),
                Arguments.of("v1 no protocol", ProxyHeaders.v1("PROXY "), "unknown protocol"),
                Arguments.of("v1 a field missing", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 51234"),
                        "exactly four fields"),
                Arguments.of("v1 a field too many", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 1 2 3"),
                        "exactly four fields"),
                Arguments.of("v1 two spaces", ProxyHeaders.v1("PROXY TCP4  203.0.113.7 198.51.100.1 51234 443"),
                        "exactly four fields"),
                Arguments.of("v1 a trailing space", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 51234 443 "),
                        "exactly four fields"),
                Arguments.of("v1 a tab", ProxyHeaders.v1("PROXY TCP4\t203.0.113.7 198.51.100.1 51234 443"),
                        "not printable ASCII"),
                Arguments.of("v1 an IPv4 byte over 255", ProxyHeaders.v1("PROXY TCP4 203.0.113.256 198.51.100.1 1 2"),
                        "over 255"),
                Arguments.of("v1 an IPv4 leading zero", ProxyHeaders.v1("PROXY TCP4 203.0.113.07 198.51.100.1 1 2"),
                        "not an IPv4 address"),
                Arguments.of("v1 three IPv4 bytes", ProxyHeaders.v1("PROXY TCP4 203.0.113 198.51.100.1 1 2"),
                        "not an IPv4 address"),
                Arguments.of("v1 an IPv6 address for TCP4", ProxyHeaders.v1("PROXY TCP4 ::1 ::1 1 2"),
                        "not an IPv4 address"),
                Arguments.of("v1 an IPv4 address for TCP6", ProxyHeaders.v1("PROXY TCP6 203.0.113.7 ::1 1 2"),
                        "not an IPv6 address"),
                Arguments.of("v1 a host name for TCP6", ProxyHeaders.v1("PROXY TCP6 localhost ::1 1 2"),
                        "not an IPv6 address"),
                Arguments.of("v1 a malformed IPv6 address", ProxyHeaders.v1("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2"),
                        "not an IPv6 address"),
                Arguments.of("v1 an IPv6 scope", ProxyHeaders.v1("PROXY TCP6 fe80::1%eth0 ::1 1 2"),
                        "not an IPv6 address"),
                Arguments.of("v1 a port over 65535", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 65536 443"),
                        "over 65535"),
                Arguments.of("v1 a port of six digits", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 1 100000"),
                        "not a port"),
                Arguments.of("v1 a negative port", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 -1 443"),
                        "not a port"),
                Arguments.of("v1 a port with a leading zero", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 01 443"),
                        "not a port"),
                Arguments.of("v1 LF without CR", ascii("PROXY UNKNOWN\n"), "LF without CR"),
                Arguments.of("v1 CR without LF", ascii("PROXY UNKNOWN\rGET"), "CR not followed by LF"),
                Arguments.of("v1 no CRLF in 107 bytes", ascii("PROXY UNKNOWN " + "x".repeat(93)), "without CRLF"),
                Arguments.of("v1 108 bytes with CRLF", ProxyHeaders.v1("PROXY UNKNOWN " + "x".repeat(92)),
                        "without CRLF"),
                Arguments.of("v1 a byte over 0x7f", ascii("PROXY UNKNOWN \u00e9\r\n"), "not printable ASCII"),
                Arguments.of("v2 version 1", ProxyHeaders.v2(0x11, ProxyHeaders.TCP4, v2Addresses), "version 1, not 2"),
                Arguments.of("v2 version 3", ProxyHeaders.v2(0x31, ProxyHeaders.TCP4, v2Addresses), "version 3, not 2"),
                Arguments.of("v2 command 2", ProxyHeaders.v2(0x22, ProxyHeaders.TCP4, v2Addresses), "unknown command 2"),
                Arguments.of("v2 command 15", ProxyHeaders.v2(0x2F, ProxyHeaders.TCP4, v2Addresses), "unknown command 15"),
                Arguments.of("v2 family 4", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x41, v2Addresses), "unknown address family"),
                Arguments.of("v2 transport 3", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x13, v2Addresses), "unknown address family"),
                Arguments.of("v2 IPv4, no transport", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x10, v2Addresses),
                        "unknown address family"),
                Arguments.of("v2 UDP over IPv4", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x12, v2Addresses), "datagram"),
                Arguments.of("v2 UDP over IPv6", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x22, new byte[36]), "datagram"),
                Arguments.of("v2 IPv4, 11 bytes", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP4, new byte[11]),
                        "too short"),
                Arguments.of("v2 IPv6, IPv4's 12 bytes", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP6, v2Addresses),
                        "too short"),
                Arguments.of("v2 Unix, 215 bytes", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.UNIX_STREAM,
                        new byte[215]), "too short"),
                Arguments.of("v2 over the length limit", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP4,
                        ProxyHeader.V2_MAX_BLOCK_LENGTH + 1, v2Addresses), "over the limit"),
                Arguments.of("v2 the most the length field says", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP4,
                        0xFFFF, v2Addresses), "over the limit"),
                Arguments.of("v2 a TLV past the end", ProxyHeaders.v2Tcp4(concat(new byte[] {2, 0, 20},
                        ascii("example.com"))), "past the header's end"),
                Arguments.of("v2 a TLV's length cut", ProxyHeaders.v2Tcp4(new byte[] {2, 0}), "too few for a TLV"),
                Arguments.of("v2 a byte after the TLVs", ProxyHeaders.v2Tcp4(tlv(2, "a"), new byte[] {4}),
                        "too few for a TLV"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedHeaderIsRefusedWithItsReason(String what, byte[] header, String reason) {
        assertThat(refusal(concat(header, REQUEST))).as(what).contains(reason);
    }

    @Test
    void bytesThatCannotStartAHeaderAreRefusedAtTheFirstByte() {
        assertThat(refusal(ascii("G"))).contains("no PROXY protocol header", "\"G\"");
        assertThat(refusal(new byte[] {'\r', '\n', '\r', 'x'})).contains("not the v2 signature");
        assertThat(refusal(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rx"))).contains("CR not followed by LF");
    }

    @Test
    void aV2HeaderIsRefusedAsSoonAsItsFixedPartIsWrong() {
        byte[] fixed = Arrays.copyOf(ProxyHeaders.v2(0x11, ProxyHeaders.TCP4, new byte[12]), 13);
        assertThat(refusal(fixed)).contains("version 1");
        byte[] tooLong = Arrays.copyOf(ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP4, 0x2000, new byte[0]), 16);
        assertThat(refusal(tooLong)).contains("over the limit");
    }

    @Test
    void theLongestV1HeaderIsAccepted() throws Exception {
        byte[] longest = ProxyHeaders.v1("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535");
        assertThat(longest).hasSize(ProxyHeader.V1_MAX_LENGTH - 3);
        byte[] unknown = ProxyHeaders.v1("PROXY UNKNOWN " + "x".repeat(91));
        assertThat(unknown).hasSize(ProxyHeader.V1_MAX_LENGTH);

        assertThat(parse(longest).source).isEqualTo(new InetSocketAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535));
        assertThat(parse(unknown).length).isEqualTo(ProxyHeader.V1_MAX_LENGTH);
    }
}
