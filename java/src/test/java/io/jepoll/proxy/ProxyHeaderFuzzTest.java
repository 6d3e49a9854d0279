package io.jepoll.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Any bytes at the start of a connection: the PROXY header parser returns a header, asks for more
 * (null) or refuses, and never throws anything else; it moves nothing in its buffer and reads
 * nothing past the header (what follows cannot change the answer); a header's length is within
 * the bytes given and the version's limit; and every piece of a header it accepts waits for the
 * rest, so a header split anywhere parses the same.
 */
class ProxyHeaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    // Jazzer's dictionary takes no line breaks or NUL: the seed corpus carries CRLF and v2's signature.
    @DictionaryEntries({"PROXY ", "TCP4 ", "TCP6 ", "UNKNOWN", "QUIT", "127.0.0.1 ", "::1 ", "::ffff:", "65535",
            " 0 "})
    void anyBytesGiveAHeaderMoreOrARefusal(byte[] input) {
        Parsed parsed = parse(input);
        ProxyHeader header = parsed.header;
        if (header == null) {
            return;
        }
        assertThat(header.length).as("length of the header in %s", hex(input)).isBetween(1, input.length);
        int limit = input[0] == 'P' ? ProxyHeader.V1_MAX_LENGTH
                : ProxyHeader.V2_FIXED_LENGTH + ProxyHeader.V2_MAX_BLOCK_LENGTH;
        assertThat(header.length).as("length of the header in %s", hex(input)).isLessThanOrEqualTo(limit);
        assertThat(header.source == null).as("a source without a destination in %s", hex(input))
                .isEqualTo(header.destination == null);

        ProxyHeader alone = parse(Arrays.copyOf(input, header.length)).header;
        assertThat(alone).as("the header of %s without what follows it", hex(input)).isNotNull();
        assertThat(alone.length).isEqualTo(header.length);
        assertThat(alone.source).isEqualTo(header.source);
        assertThat(alone.destination).isEqualTo(header.destination);

        int step = header.length <= 300 ? 1 : 97;
        for (int length = 0; length < header.length; length += step) {
            Parsed piece = parse(Arrays.copyOf(input, length));
            assertThat(piece.header).as("a header in the first %d bytes of %s", length, hex(input)).isNull();
            assertThat(piece.refusal).as("the refusal of the first %d bytes of %s", length, hex(input)).isNull();
        }
    }

    /** What the parser made of some bytes: a header, a refusal, or neither (more bytes needed). */
    private record Parsed(ProxyHeader header, String refusal) {
    }

    /** Parses {@code bytes}; anything thrown but a refusal fails the test. */
    private static Parsed parse(byte[] bytes) {
        // Read-only and at an offset: a parser that wrote, or read from index 0, would show it.
        ByteBuffer in = ByteBuffer.allocate(bytes.length + 3).position(3).put(bytes).position(3).asReadOnlyBuffer();
        try {
            ProxyHeader header = ProxyHeader.parse(in);
            assertThat(in.position()).isEqualTo(3);
            assertThat(in.limit()).isEqualTo(bytes.length + 3);
            return new Parsed(header, null);
        } catch (ProxyHeader.Refused refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return new Parsed(null, refused.getMessage());
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 200));
    }
}
