package io.jepoll.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How a fuzz test writes a body in chunked transfer coding (RFC 9112 section 7.1): chunk sizes
 * taken in turn, over and over; chunk extensions taken in turn, and one for the last chunk; zeros
 * before each size; the hex case; trailer lines. It writes nothing malformed; only the parser's
 * limits may refuse it.
 */
record Chunking(int[] sizes, List<String> extensions, String lastExtension, int leadingZeros, boolean upperCase,
        List<String> trailers) {

    /** Chunks of these sizes and nothing else. */
    static Chunking plain(int[] sizes) {
        return new Chunking(sizes, List.of(""), "", 0, false, List.of());
    }

    static Chunking from(FuzzedDataProvider data) {
        int[] sizes = new int[data.consumeInt(1, 8)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(1, 512);
        }
        List<String> extensions = new ArrayList<>();
        for (int i = data.consumeInt(1, 4); i > 0; i--) {
            extensions.add(extension(data));
        }
        // Now and then a last line around the parser's limit of 4095 bytes on a line: on one line
        // only, as every line of that length slows the fuzzer down.
        String lastExtension = data.consumeInt(0, 7) == 7 ? ";" + "x".repeat(data.consumeInt(4070, 4100))
                : extension(data);
        // Up to 30 zeros before sizes of up to 3 digits: past the 16 digits a 64-bit size has,
        // which the parser takes, as only the value must fit.
        int leadingZeros = data.consumeInt(0, 30);
        boolean upperCase = data.consumeBoolean();
        List<String> trailers = new ArrayList<>();
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
            trailers.add("X-" + ParserFuzzing.text(data, ParserFuzzing.TOKEN_CHARS, 10) + ":"
                    + ParserFuzzing.text(data, ParserFuzzing.FIELD_VALUE_CHARS, 40));
        }
        return new Chunking(sizes, extensions, lastExtension, leadingZeros, upperCase, trailers);
    }

    /** Nothing, or BWS, ";" and any field-value bytes, which the parser accepts and ignores. */
    private static String extension(FuzzedDataProvider data) {
        return data.consumeBoolean() ? ""
                : ParserFuzzing.text(data, " \t", 2) + ";" + ParserFuzzing.text(data, ParserFuzzing.FIELD_VALUE_CHARS, 40);
    }

    /** The sizes of the chunks {@code body} is cut into, the last zero-sized chunk left out. */
    List<Integer> chunkSizes(int bodyLength) {
        List<Integer> chunks = new ArrayList<>();
        for (int at = 0, i = 0; at < bodyLength; i++) {
            int size = Math.min(bodyLength - at, sizes[i % sizes.length]);
            chunks.add(size);
            at += size;
        }
        return chunks;
    }

    /** The digits of a chunk-size line for {@code size}, zeros included. */
    String sizeDigits(int size) {
        String hex = Integer.toHexString(size);
        return "0".repeat(leadingZeros) + (upperCase ? hex.toUpperCase() : hex);
    }

    /** The size line of chunk {@code index}, the last one's if {@code size} is 0, without its CRLF. */
    String sizeLine(int index, int size) {
        return sizeDigits(size) + (size == 0 ? lastExtension : extensions.get(index % extensions.size()));
    }

    byte[] encode(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> chunks = chunkSizes(body.length);
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int size = chunks.get(i);
            out.writeBytes(ParserFuzzing.bytes(sizeLine(i, size) + "\r\n"));
            out.write(body, at, size);
            out.writeBytes(ParserFuzzing.bytes("\r\n"));
            at += size;
        }
        out.writeBytes(ParserFuzzing.bytes(sizeLine(chunks.size(), 0) + "\r\n"));
        for (String trailer : trailers) {
            out.writeBytes(ParserFuzzing.bytes(trailer + "\r\n"));
        }
        out.writeBytes(ParserFuzzing.bytes("\r\n"));
        return out.toByteArray();
    }
}
