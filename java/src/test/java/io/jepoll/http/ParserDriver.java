package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Feeds bytes to a {@link RequestParser} the way {@link HttpConnection} does: each piece is
 * offered after the bytes left unconsumed before it (as the loop's unconsumed-input buffer does),
 * {@code parseHead} until a head is there, then {@code readBody}, then {@code reset} for the next
 * request; a request without keep-alive ends the stream. Records what was parsed and how much
 * the parser held, for the split-point and property tests.
 */
final class ParserDriver {

    /** The statuses the parser may refuse input with. */
    static final Set<Integer> REFUSALS = Set.of(400, 413, 414, 417, 431, 501, 505);

    private ParserDriver() {
    }

    /** What one parsed request looked like, as values. */
    record Parsed(String method, String target, String path, String query, String version, List<String> headers,
            String body, boolean keepAlive, boolean expectContinue) {

        static Parsed of(HttpRequest request) {
            List<String> headers = new ArrayList<>();
            for (int i = 0; i < request.headerCount(); i++) {
                headers.add(request.headerName(i) + ": " + request.headerValue(i));
            }
            return new Parsed(request.method(), request.target(), request.path(), request.query(), request.version(),
                    headers, new String(request.body, 0, request.bodyLength, StandardCharsets.ISO_8859_1),
                    request.keepAlive(), request.expectContinue);
        }

        /** Method, target and version with the two spaces between them, as the request line had them. */
        int requestLineLength() {
            return method.length() + target.length() + version.length() + 2;
        }
    }

    /** The result of feeding a whole input. */
    static final class Outcome {
        final List<Parsed> requests = new ArrayList<>();
        /** The error the parser refused the input with, or null. */
        HttpException error;
        /** Calls made to the parser. */
        int steps;
        /** The most bytes a {@code parseHead} that returned false left waiting. */
        int mostWaitingForHead;
        /** The longest head accepted. */
        int longestHead;
        /** The largest body array the request grew, and the longest body read. */
        int largestBodyArray;
        int longestBody;
        /** Bytes left unconsumed at the end (an incomplete request). */
        int leftover;

        /** The only request parsed, failing unless there was exactly one and no error. */
        Parsed single() {
            if (error != null) {
                fail("the parser refused the input: " + error.status() + " " + error.getMessage());
            }
            assertThat(requests).as("requests parsed").hasSize(1);
            assertThat(leftover).as("bytes left unconsumed").isZero();
            return requests.get(0);
        }

        @Override
        public String toString() {
            return requests.size() + " request(s), error " + (error == null ? "none" : error.status() + " "
                    + error.getMessage()) + ", " + steps + " steps, leftover " + leftover;
        }
    }

    /**
     * What any input must leave true, whatever it was: a refusal is one of {@link #REFUSALS}, and
     * nothing accepted or held went past a limit.
     */
    static void assertWithinLimits(HttpLimits limits, Outcome outcome) {
        if (outcome.error != null) {
            assertThat(outcome.error.status()).as("status of %s", outcome.error.getMessage()).isIn(REFUSALS);
        }
        assertThat(outcome.longestHead).as("longest head accepted").isLessThanOrEqualTo(limits.maxHeaderBytes());
        assertThat(outcome.mostWaitingForHead).as("bytes parseHead waited on without an answer")
                .isLessThanOrEqualTo(limits.maxHeaderBytes());
        assertThat(outcome.largestBodyArray).as("body array").isLessThanOrEqualTo((int) limits.maxBodyBytes());
        assertThat(outcome.longestBody).as("body").isLessThanOrEqualTo((int) limits.maxBodyBytes());
        for (Parsed request : outcome.requests) {
            assertThat(request.headers().size()).as("headers").isLessThanOrEqualTo(limits.maxHeaderCount());
            assertThat(request.requestLineLength()).as("request line of %s", request)
                    .isLessThanOrEqualTo(limits.maxRequestLineBytes());
        }
    }

    /** Feeds {@code whole} split at {@code cuts} (ascending offsets), each piece at buffer offset {@code offset}. */
    static Outcome feedSplit(HttpLimits limits, byte[] whole, int offset, int... cuts) {
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(Arrays.copyOfRange(whole, from, cut));
            from = cut;
        }
        pieces.add(Arrays.copyOfRange(whole, from, whole.length));
        return feed(limits, pieces, offset);
    }

    /**
     * Feeds {@code pieces} in order. Each call to the parser either consumes bytes, finishes a
     * request or ends the piece; more calls than that is a parser that makes no progress, and
     * fails here rather than spinning.
     */
    static Outcome feed(HttpLimits limits, List<byte[]> pieces, int offset) {
        int total = pieces.stream().mapToInt(p -> p.length).sum();
        int stepLimit = 4 * (total + pieces.size()) + 16;
        RequestParser parser = new RequestParser(limits);
        HttpRequest request = new HttpRequest();
        Outcome outcome = new Outcome();
        byte[] kept = new byte[0];
        boolean inHead = true;
        try {
            for (byte[] piece : pieces) {
                byte[] data = new byte[offset + kept.length + piece.length];
                Arrays.fill(data, 0, offset, (byte) '#');
                System.arraycopy(kept, 0, data, offset, kept.length);
                System.arraycopy(piece, 0, data, offset + kept.length, piece.length);
                ByteBuffer in = ByteBuffer.wrap(data);
                in.position(offset);
                while (in.hasRemaining()) {
                    if (inHead) {
                        step(outcome, stepLimit);
                        if (!parser.parseHead(in, request)) {
                            outcome.mostWaitingForHead = Math.max(outcome.mostWaitingForHead, in.remaining());
                            break;
                        }
                        outcome.longestHead = Math.max(outcome.longestHead, request.headLength);
                        inHead = false;
                    }
                    step(outcome, stepLimit);
                    int before = in.remaining();
                    boolean done = parser.readBody(in, request);
                    outcome.largestBodyArray = Math.max(outcome.largestBodyArray, request.body.length);
                    outcome.longestBody = Math.max(outcome.longestBody, request.bodyLength);
                    if (!done) {
                        assertThat(in.remaining()).as("bytes readBody left while waiting for more").isLessThanOrEqualTo(before);
                        break;
                    }
                    outcome.requests.add(Parsed.of(request));
                    parser.reset();
                    inHead = true;
                    if (!request.keepAlive()) {
                        return outcome;
                    }
                }
                kept = Arrays.copyOfRange(data, in.position(), in.limit());
            }
            outcome.leftover = kept.length;
        } catch (HttpException e) {
            outcome.error = e;
        }
        return outcome;
    }

    private static void step(Outcome outcome, int limit) {
        if (++outcome.steps > limit) {
            fail("the parser made " + outcome.steps + " calls on input that allows at most " + limit);
        }
    }
}
