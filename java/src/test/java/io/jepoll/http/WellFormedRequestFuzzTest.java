package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserDriver.Parsed;
import io.jepoll.http.ParserFuzzing.Split;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid requests built from the fuzzer's choices (every method; origin-, absolute- and
 * asterisk-form targets; HTTP/1.0 and 1.1; header values with OWS and obs-text; Connection and
 * Expect; no body, Content-Length or chunked) under limits it also chooses. Each parses to
 * exactly what was built, whole or split; one that crosses a limit is refused with that limit's
 * status, never accepted.
 */
class WellFormedRequestFuzzTest {

    private static final String VISIBLE = visibleAscii();
    private static final String PATH_CHARS = VISIBLE.replace("?", "");
    private static final String AUTHORITY_CHARS = PATH_CHARS.replace("/", "");
    private static final String HOST_CHARS = "abcxyzABCXYZ0189-._~%!$&'()*+,;=";
    private static final String[] SCHEMES = {"http://", "https://", "HTTP://", "hTTpS://"};
    private static final String[] HOST_NAMES = {"Host", "host", "HOST"};
    /** Connection options: the two the parser looks for, and others as long as they, in any case. */
    private static final String[] CONNECTION_OPTIONS = {"close", "Keep-Alive", "upgrade", "CLOSE", "clone", "keep-alivE",
            "keep-alike"};
    private static final String[] LIST_SEPARATORS = {",", ", ", " ,\t", ",,"};

    @FuzzTest(maxDuration = "20s")
    void requestsParseAsBuiltOrMeetALimit(FuzzedDataProvider data) {
        HttpLimits limits = ParserFuzzing.limits(data);
        Split split = Split.from(data);
        Built request = Built.from(data);
        Outcome outcome = ParserFuzzing.feedWholeAndSplit(limits, request.bytes(), split);
        Integer refusal = request.refusal(limits);
        if (refusal == null) {
            assertThat(outcome.single()).isEqualTo(request.expected());
        } else {
            assertThat(outcome.requests).isEmpty();
            assertThat(outcome.error).as("refusal").isNotNull();
            assertThat(outcome.error.status()).as(outcome.error.getMessage()).isEqualTo(refusal);
        }
    }

    /** A request as sent, what it must parse to, and the sizes the limits apply to. */
    private record Built(byte[] bytes, Parsed expected, int requestLine, int head, int headers, int body) {

        /** The status the parser must refuse this request with under {@code limits}, or null. */
        Integer refusal(HttpLimits limits) {
            if (requestLine > limits.maxRequestLineBytes()) {
                // The parser checks the head limit first: a byte past both limits is past the head's.
                return limits.maxHeaderBytes() == limits.maxRequestLineBytes() ? 431 : 414;
            }
            if (head > limits.maxHeaderBytes() || headers > limits.maxHeaderCount()) {
                return 431;
            }
            return body > limits.maxBodyBytes() ? 413 : null;
        }

        static Built from(FuzzedDataProvider data) {
            HttpRequest.Method method = data.pickValue(HttpRequest.Method.values());
            boolean http10 = data.consumeBoolean();
            Target target = Target.from(data, method);
            String version = http10 ? "HTTP/1.0" : "HTTP/1.1";
            String requestLine = method + " " + target.text() + " " + version;

            Headers headers = new Headers();
            if (!http10 || data.consumeBoolean()) {
                String port = data.consumeBoolean() ? ":" + ParserFuzzing.text(data, "0123456789", 5) : "";
                headers.add(data.pickValue(HOST_NAMES), ParserFuzzing.text(data, HOST_CHARS, 20) + port);
            }
            for (int i = data.consumeInt(0, 8); i > 0; i--) {
                headers.add("X-" + ParserFuzzing.text(data, ParserFuzzing.TOKEN_CHARS, 10),
                        ParserFuzzing.text(data, ParserFuzzing.FIELD_VALUE_CHARS, 30));
            }
            boolean close = false;
            boolean keepAlive = false;
            if (data.consumeBoolean()) {
                StringBuilder options = new StringBuilder(data.pickValue(LIST_SEPARATORS));
                for (int i = data.consumeInt(1, 3); i > 0; i--) {
                    String option = data.pickValue(CONNECTION_OPTIONS);
                    close |= option.equalsIgnoreCase("close");
                    keepAlive |= option.equalsIgnoreCase("keep-alive");
                    options.append(option).append(data.pickValue(LIST_SEPARATORS));
                }
                headers.add("Connection", options.toString());
            }
            boolean expectContinue = data.consumeBoolean();
            if (expectContinue) {
                headers.add("Expect", " 100-Continue");
            }
            int framing = data.consumeInt(0, 2);
            Chunking chunking = framing == 2 && !http10
                    ? Chunking.plain(new int[] {data.consumeInt(1, 512), data.consumeInt(1, 512)}) : null;
            byte[] body = framing == 0 ? new byte[0] : data.consumeBytes(data.consumeInt(0, 4096));
            if (chunking != null) {
                headers.add("Transfer-Encoding", " chunked");
            } else if (framing != 0) {
                headers.add("Content-Length", " " + "0".repeat(data.consumeInt(0, 3)) + body.length);
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ParserFuzzing.bytes("\r\n".repeat(data.consumeInt(0, 2)) + requestLine + "\r\n"
                    + headers.sent + "\r\n"));
            out.writeBytes(chunking == null ? body : chunking.encode(body));
            Parsed expected = new Parsed(method.name(), target.text(), target.path(), target.query(), version,
                    headers.parsed,
                    new String(body, StandardCharsets.ISO_8859_1), !close && (!http10 || keepAlive),
                    expectContinue && !http10);
            int head = requestLine.length() + 2 + headers.sent.length() + 2;
            return new Built(out.toByteArray(), expected, requestLine.length(), head, headers.parsed.size(),
                    body.length);
        }
    }

    /** A request target as sent, and the path and query it must parse to. */
    private record Target(String text, String path, String query) {

        /** Origin-form, absolute-form with or without a path, or asterisk-form for OPTIONS. */
        static Target from(FuzzedDataProvider data, HttpRequest.Method method) {
            int form = data.consumeInt(0, 2);
            if (form == 2 && method == HttpRequest.Method.OPTIONS) {
                return new Target("*", "*", null);
            }
            String authority = form == 1
                    ? data.pickValue(SCHEMES) + "h" + ParserFuzzing.text(data, AUTHORITY_CHARS, 20) : "";
            String path = form == 1 && data.consumeBoolean() ? "" : "/" + ParserFuzzing.text(data, PATH_CHARS, 40);
            String query = data.consumeBoolean() ? ParserFuzzing.text(data, VISIBLE, 20) : null;
            return new Target(authority + path + (query == null ? "" : "?" + query), path.isEmpty() ? "/" : path,
                    query);
        }
    }

    /** Header lines as sent, and as the parser must give them back: value without OWS. */
    private static final class Headers {
        final StringBuilder sent = new StringBuilder();
        final List<String> parsed = new ArrayList<>();

        void add(String name, String value) {
            sent.append(name).append(':').append(value).append("\r\n");
            parsed.add(name + ": " + ParserFuzzing.trimOws(value));
        }
    }

    private static String visibleAscii() {
        StringBuilder chars = new StringBuilder();
        for (char c = 0x21; c < 0x7F; c++) {
            chars.append(c);
        }
        return chars.toString();
    }
}
