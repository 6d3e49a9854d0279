package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserDriver.Parsed;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Whatever bytes arrive, however they are split: the parser throws nothing but
 * {@link HttpException} with a status the server knows, finishes with bounded work, and never
 * holds more than its {@link HttpLimits}. Valid requests parse the same under any split.
 *
 * <p>Each property runs a fixed number of cases; case {@code i} is generated from its own
 * {@link SplittableRandom} seeded with the property's base seed plus {@code i}, so a run is
 * reproducible and a failure names the one seed that reproduces it. To rerun only that case:
 * {@code -Djepoll.caseSeed=<seed>} (every property then runs just that seed).
 */
class ParserPropertyTest {

    /** Small limits, so that random input reaches them. */
    static final HttpLimits LIMITS = HttpLimits.defaults().withMaxRequestLineBytes(64).withMaxHeaderBytes(256)
            .withMaxHeaderCount(8).withMaxBodyBytes(512);

    private static final Duration BOUND = Duration.ofSeconds(10);

    private static final List<String> TEMPLATES = List.of(
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /plaintext?a=b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
            "\r\nOPTIONS * HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"
                    + "GET http://h/p HTTP/1.1\r\nHost: y\r\n\r\n");

    // ---------------------------------------------------------------- running a property over seeds

    /** Set to a case seed from a failure message to run only that case of every property. */
    private static final String CASE_SEED_PROPERTY = "jepoll.caseSeed";

    /** One generated case: how to show its input, and the check to run on it. */
    private record Case(String input, Executable check) {
    }

    /**
     * Runs {@code tries} cases of a property, case {@code i} generated from seed {@code baseSeed + i};
     * stops at the first failing case and fails with its seed, its input and the cause.
     */
    private static void forAll(String property, long baseSeed, int tries, Function<SplittableRandom, Case> generate) {
        String only = System.getProperty(CASE_SEED_PROPERTY);
        long first = only == null || only.isBlank() ? baseSeed : Long.parseLong(only.strip());
        int count = only == null || only.isBlank() ? tries : 1;
        for (int i = 0; i < count; i++) {
            long seed = first + i;
            Case c = generate.apply(new SplittableRandom(seed));
            try {
                c.check().execute();
            } catch (Throwable failure) {
                if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
                    throw fatal;
                }
                throw new AssertionError(String.format(
                        "%s failed at case %d of %d, case seed %d (base seed %d + %d; rerun with -D%s=%d)%n"
                                + "input: %s%ncause: %s",
                        property, i + 1, count, seed, baseSeed, seed - baseSeed, CASE_SEED_PROPERTY, seed,
                        c.input(), failure), failure);
            }
        }
    }

    // ---------------------------------------------------------------- generators

    private static final byte[] FRAMING_BYTES =
            RawHttp.bytes("\r\n\r\n :;\t\0/?*.-GETPOSHTP1.0chunked0123456789abcdefF");

    /** A length from 0 to {@code max}, more often short or at the edges (0, 1, max). */
    private static int length(SplittableRandom random, int max) {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> Math.min(1, max);
                default -> max;
            };
        }
        if (roll < 5) {
            return random.nextInt(Math.min(max, 64) + 1);
        }
        return random.nextInt(max + 1);
    }

    private static int between(SplittableRandom random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** One byte from the whole range 1 time in 4, else one HTTP framing turns on. */
    private static byte httpishByte(SplittableRandom random) {
        return random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                : FRAMING_BYTES[random.nextInt(FRAMING_BYTES.length)];
    }

    private static byte[] httpishArray(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[length(random, maxLength)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = httpishByte(random);
        }
        return bytes;
    }

    /** Bytes from the whole range, often the ones HTTP framing turns on. */
    private static byte[] httpishBytes(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> httpishArray(random, 1500);
            // A valid start, then anything: gets past the request line more often.
            case 1 -> concat(RawHttp.bytes("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
                    httpishArray(random, 600));
            default -> concat(RawHttp.bytes("GET / HTTP/1.1\r\nHost: x\r\n"), httpishArray(random, 600));
        };
    }

    /** Between {@code minCount} and {@code maxCount} sizes from 1 to {@code maxSize}, often tiny. */
    private static List<Integer> sizes(SplittableRandom random, int minCount, int maxCount, int maxSize) {
        int count = between(random, minCount, maxCount);
        boolean byteAtATime = random.nextInt(20) == 0;
        List<Integer> sizes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sizes.add(byteAtATime ? 1 : random.nextInt(4) == 0 ? between(random, 1, 3) : between(random, 1, maxSize));
        }
        return sizes;
    }

    /** Piece sizes for {@link #split}: 1 to 40 sizes of 1 to 80 bytes. */
    private static List<Integer> pieceSizes(SplittableRandom random) {
        return sizes(random, 1, 40, 80);
    }

    /** A mutation of a valid request: a byte flipped, framing bytes inserted, bytes deleted, the end cut. */
    private static byte[] mutatedRequest(SplittableRandom random) {
        byte[] template = RawHttp.bytes(TEMPLATES.get(random.nextInt(TEMPLATES.size())));
        int count = between(random, 1, 4);
        List<int[]> mutations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mutations.add(new int[] {between(random, 0, 4), between(random, 0, 10_000), between(random, 0, 255)});
        }
        return mutate(template, mutations);
    }

    private static byte[] mutate(byte[] request, List<int[]> mutations) {
        byte[] bytes = request;
        byte[] inserts = RawHttp.bytes("\r\n\0 \t:;");
        for (int[] m : mutations) {
            int at = bytes.length == 0 ? 0 : m[1] % bytes.length;
            switch (m[0]) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes = bytes.clone();
                        bytes[at] = (byte) (bytes[at] ^ (1 << (m[2] % 8)));
                    }
                }
                case 1 -> bytes = insert(bytes, at, inserts[m[2] % inserts.length]);
                case 2 -> bytes = insert(bytes, at, (byte) m[2]);
                case 3 -> {
                    if (bytes.length > 0) {
                        bytes = concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
                    }
                }
                default -> bytes = Arrays.copyOfRange(bytes, 0, at);
            }
        }
        return bytes;
    }

    /** A string of {@code minLength} to {@code maxLength} characters taken from {@code alphabet}. */
    private static String string(SplittableRandom random, String alphabet, int minLength, int maxLength) {
        int n = minLength + length(random, maxLength - minLength);
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** A valid request with what it must parse to. */
    record Generated(byte[] bytes, Parsed expected) {
        @Override
        public String toString() {
            return RawHttp.printable(bytes);
        }
    }

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

    private static Generated validRequest(SplittableRandom random) {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        String path = "/" + string(random, "abcxyz019-._~%!$&'()*+,;=:@/", 0, 20);
        String query = random.nextBoolean() ? null : string(random, "abc123=&/?%", 0, 10);
        int headerCount = length(random, 5);
        List<String[]> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            String name = "X-" + string(random, "abcXYZ0189!#$%&'*+-.^_`|~", 1, 8);
            String value = string(random, "abc XYZ\t\"(),/:;<=>?@[]{}\u00e9\u00ff", 0, 20).strip();
            headers.add(new String[] {name, value});
        }
        byte[] body = new byte[length(random, 400)];
        random.nextBytes(body);
        int framing = random.nextInt(3);
        List<Integer> chunkSizes = sizes(random, 0, 8, 120);
        boolean upperHex = random.nextBoolean();
        return generate(method, path, query, headers, body, framing, chunkSizes, upperHex);
    }

    private static Generated generate(String method, String path, String query, List<String[]> headers, byte[] body,
            int framing, List<Integer> chunkSizes, boolean upperHex) {
        String target = query == null ? path : path + "?" + query;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> expectedHeaders = new ArrayList<>();
        out.writeBytes(RawHttp.bytes(method + " " + target + " HTTP/1.1\r\nHost: example\r\n"));
        expectedHeaders.add("Host: example");
        for (String[] header : headers) {
            out.writeBytes(RawHttp.bytes(header[0] + ": " + header[1] + " \r\n"));
            expectedHeaders.add(header[0] + ": " + header[1]);
        }
        byte[] expectedBody = framing == 0 ? new byte[0] : body;
        if (framing == 1) {
            out.writeBytes(RawHttp.bytes("Content-Length: " + body.length + "\r\n\r\n"));
            expectedHeaders.add("Content-Length: " + body.length);
            out.writeBytes(body);
        } else if (framing == 2) {
            out.writeBytes(RawHttp.bytes("Transfer-Encoding: chunked\r\n\r\n"));
            expectedHeaders.add("Transfer-Encoding: chunked");
            int at = 0;
            int k = 0;
            while (at < body.length) {
                int size = Math.min(body.length - at, k < chunkSizes.size() ? chunkSizes.get(k) : body.length);
                String hex = Integer.toHexString(size);
                out.writeBytes(RawHttp.bytes((upperHex ? hex.toUpperCase() : hex) + (k % 2 == 1 ? ";n=" + k : "")
                        + "\r\n"));
                out.write(body, at, size);
                out.writeBytes(RawHttp.bytes("\r\n"));
                at += size;
                k++;
            }
            out.writeBytes(RawHttp.bytes("0\r\n" + (upperHex ? "X-Trailer: t\r\n" : "") + "\r\n"));
        } else {
            out.writeBytes(RawHttp.bytes("\r\n"));
        }
        Parsed expected = new Parsed(method, target, path, query, "HTTP/1.1", expectedHeaders,
                new String(expectedBody, StandardCharsets.ISO_8859_1), true, false);
        return new Generated(out.toByteArray(), expected);
    }

    private static String describe(byte[] input, List<Integer> sizes, int offset) {
        return RawHttp.printable(input) + " (" + input.length + " bytes), piece sizes " + sizes + ", offset " + offset;
    }

    // ---------------------------------------------------------------- arbitrary input

    @Test
    void randomBytesOnlyEverGiveAnHttpErrorWithinTheLimits() {
        forAll("randomBytesOnlyEverGiveAnHttpErrorWithinTheLimits", 0x5EED_0001_0000L, 1500, random -> {
            byte[] input = httpishBytes(random);
            List<Integer> sizes = pieceSizes(random);
            int offset = between(random, 0, 3);
            return new Case(describe(input, sizes, offset), () -> check(input, sizes, offset));
        });
    }

    @Test
    void mutatedRequestsOnlyEverGiveAnHttpErrorWithinTheLimits() {
        forAll("mutatedRequestsOnlyEverGiveAnHttpErrorWithinTheLimits", 0x5EED_0002_0000L, 1500, random -> {
            byte[] input = mutatedRequest(random);
            List<Integer> sizes = pieceSizes(random);
            return new Case(describe(input, sizes, 0), () -> check(input, sizes, 0));
        });
    }

    /** The invariants every input must keep, whatever it is. */
    private static void check(byte[] input, List<Integer> sizes, int offset) {
        // Anything but an HttpException escapes as a failure here; a hang fails after BOUND.
        Outcome outcome = Assertions.assertTimeoutPreemptively(BOUND,
                () -> ParserDriver.feed(LIMITS, split(input, sizes), offset));
        ParserDriver.assertWithinLimits(LIMITS, outcome);
    }

    // ---------------------------------------------------------------- valid requests, split at random

    private static final HttpLimits ROOMY = HttpLimits.defaults();

    @Test
    void validRequestsParseTheSameUnderRandomSplits() {
        forAll("validRequestsParseTheSameUnderRandomSplits", 0x5EED_0003_0000L, 1000, random -> {
            Generated request = validRequest(random);
            List<Integer> sizes = pieceSizes(random);
            int offset = between(random, 0, 3);
            return new Case(describe(request.bytes(), sizes, offset), () -> {
                Parsed whole = ParserDriver.feed(ROOMY, List.of(request.bytes()), 0).single();
                assertThat(whole).isEqualTo(request.expected());
                Outcome split = Assertions.assertTimeoutPreemptively(BOUND,
                        () -> ParserDriver.feed(ROOMY, split(request.bytes(), sizes), offset));
                assertThat(split.single()).isEqualTo(request.expected());
            });
        });
    }

    /** Two valid requests back to back, split at random: both come out, in order. */
    @Test
    void pipelinedValidRequestsParseTheSameUnderRandomSplits() {
        forAll("pipelinedValidRequestsParseTheSameUnderRandomSplits", 0x5EED_0004_0000L, 300, random -> {
            Generated first = validRequest(random);
            Generated second = validRequest(random);
            List<Integer> sizes = sizes(random, 1, 60, 30);
            byte[] both = concat(first.bytes(), second.bytes());
            return new Case(describe(both, sizes, 0), () -> {
                Outcome split = ParserDriver.feed(ROOMY, split(both, sizes), 0);
                assertThat(split.error).isNull();
                assertThat(split.requests).containsExactly(first.expected(), second.expected());
            });
        });
    }

    // ---------------------------------------------------------------- the limits at their edges

    private static String headOfLength(int length) {
        String start = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ";
        return start + "p".repeat(length - start.length() - 4) + "\r\n\r\n";
    }

    @Test
    void aHeadOfExactlyTheLimitIsAccepted() {
        String head = headOfLength(LIMITS.maxHeaderBytes());
        assertThat(head).hasSize(256);
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(head)), 0).single().path()).isEqualTo("/");
    }

    /** HttpLimits.maxHeaderBytes: "the whole head ... past it: 431". */
    @Test
    void aHeadOneByteOverTheLimitIsRefused() {
        Outcome outcome = ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(headOfLength(LIMITS.maxHeaderBytes() + 1))), 0);
        assertThat(outcome.error).as("outcome: %s", outcome).isNotNull();
        assertThat(outcome.error.status()).isEqualTo(431);
    }

    /** Nothing is buffered past the limits: with more bytes than a head may have, parseHead must decide. */
    @Test
    void parseHeadNeverWaitsOnMoreBytesThanAHeadMayHave() {
        String almost = headOfLength(LIMITS.maxHeaderBytes() + 2);
        byte[] cut = RawHttp.bytes(almost.substring(0, LIMITS.maxHeaderBytes() + 1));
        Outcome outcome = ParserDriver.feed(LIMITS, List.of(cut), 0);
        assertThat(outcome.error).as("outcome of %d bytes without the end of the head: %s", cut.length, outcome)
                .isNotNull();
        assertThat(outcome.error.status()).isEqualTo(431);
    }

    /**
     * The parser copies a head into the request a growing piece at a time (128, 256, 512 ...
     * bytes): a head of every length, so that its CRLFs and its end fall on every side of those
     * boundaries, parses whole and alike when it comes in one read with a second request behind it,
     * or split just before its last CRLF; and a bare CR at every length is refused.
     */
    @Test
    void headsOfEveryLengthParseAcrossThePiecesTheParserCopies() {
        HttpLimits limits = HttpLimits.defaults();
        String next = "GET /next HTTP/1.1\r\nHost: y\r\n\r\n";
        for (int length = headOfLength(40).length(); length <= 1100; length++) {
            String head = headOfLength(length);
            byte[] both = RawHttp.bytes(head + next);
            Outcome outcome = ParserDriver.feed(limits, List.of(both), 0);
            assertThat(outcome.error).as("a head of %d bytes: %s", length, outcome).isNull();
            assertThat(outcome.requests).as("a head of %d bytes", length).hasSize(2);
            assertThat(outcome.requests.get(0).headers()).as("a head of %d bytes", length)
                    .containsExactly("Host: x", "X-Pad: " + "p".repeat(length - 36));
            assertThat(outcome.requests.get(1).path()).isEqualTo("/next");

            Outcome split = ParserDriver.feedSplit(limits, both, 0, length - 3, length - 1);
            assertThat(split.requests).as("a head of %d bytes split at its end: %s", length, split)
                    .isEqualTo(outcome.requests);

            byte[] bareCr = RawHttp.bytes(head.substring(0, length - 4) + "\rX\r\n\r\n");
            Outcome refused = ParserDriver.feed(limits, List.of(bareCr), 0);
            assertThat(refused.error).as("a bare CR at byte %d: %s", length - 4, refused).isNotNull();
            assertThat(refused.error.status()).isEqualTo(400);
        }
    }

    private static String requestLineOfLength(int length) {
        String start = "GET /";
        String end = " HTTP/1.1";
        return start + "a".repeat(length - start.length() - end.length()) + end;
    }

    /** HttpLimits.maxRequestLineBytes: "the request line (method, target, version); past it: 414". */
    @Test
    void aRequestLineOfExactlyTheLimitIsAccepted() {
        String line = requestLineOfLength(LIMITS.maxRequestLineBytes());
        assertThat(line).hasSize(64);
        Outcome outcome = ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(line + "\r\nHost: x\r\n\r\n")), 0);
        assertThat(outcome.error).as("outcome: %s", outcome).isNull();
        assertThat(outcome.single().target()).hasSize(64 - 4 - 9);
    }

    @Test
    void aRequestLineOneByteOverTheLimitIsRefused() {
        String line = requestLineOfLength(LIMITS.maxRequestLineBytes() + 1);
        Outcome outcome = ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(line + "\r\nHost: x\r\n\r\n")), 0);
        assertThat(outcome.error).isNotNull();
        assertThat(outcome.error.status()).isEqualTo(414);
    }

    @Test
    void bodiesAtTheLimitAreAcceptedAndOneByteMoreIsRefused() {
        int limit = (int) LIMITS.maxBodyBytes();
        String body = "b".repeat(limit);
        String withLength = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + limit + "\r\n\r\n" + body;
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(withLength)), 0).single().body()).isEqualTo(body);
        String tooLong = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + (limit + 1) + "\r\n\r\n";
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(tooLong)), 0).error.status()).isEqualTo(413);

        String chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(limit - 1) + "\r\n" + body.substring(1) + "\r\n1\r\nb\r\n0\r\n\r\n";
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(chunked)), 0).single().body()).isEqualTo(body);
        String chunkedTooLong = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(limit) + "\r\n" + body + "\r\n1\r\n";
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(chunkedTooLong)), 0).error.status())
                .isEqualTo(413);
    }

    @Test
    void headerCountAtTheLimitIsAcceptedAndOneMoreIsRefused() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 1; i < LIMITS.maxHeaderCount(); i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        assertThat(ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(head + "\r\n")), 0).single().headers())
                .hasSize(LIMITS.maxHeaderCount());
        Outcome over = ParserDriver.feed(LIMITS, List.of(RawHttp.bytes(head + "X-9: v\r\n\r\n")), 0);
        assertThat(over.error.status()).isEqualTo(431);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code input} cut into pieces of the given sizes, in turn; the last piece takes the rest. */
    static List<byte[]> split(byte[] input, List<Integer> sizes) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < input.length; i++) {
            int size = i < sizes.size() - 1 ? sizes.get(i) : input.length - at;
            int end = Math.min(input.length, at + size);
            pieces.add(Arrays.copyOfRange(input, at, end));
            at = end;
        }
        return pieces;
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
