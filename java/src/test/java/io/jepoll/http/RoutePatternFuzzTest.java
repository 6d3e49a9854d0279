package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route pattern the fuzzer makes ({@code /lit/{p0}/...}, or a prefix {@code /lit/*}) against a
 * path it makes: either the pattern filled with any values, encoded, which must route to it and
 * give the values back decoded, or any bytes a request line lets through, which must route as a
 * regular expression of the pattern says: a match is answered (200, or 400 where a parameter does
 * not decode), anything else is 404; no other exception, no other status.
 */
class RoutePatternFuzzTest {

    private static final String LITERAL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~%+*";
    private static final HttpResponse MATCHED = HttpResponse.text("matched");

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/", "%2F", "%C3%A9", "%zz", "%", "//", "/*", "{", "}"})
    void pathsRouteAsTheirPatternSays(FuzzedDataProvider data) {
        int segments = data.consumeInt(1, 5);
        boolean prefix = data.consumeBoolean();
        boolean filled = data.consumeBoolean();
        StringBuilder route = new StringBuilder();
        StringBuilder regex = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            boolean parameter = !prefix && data.consumeBoolean();
            if (parameter) {
                String name = "p" + i;
                names.add(name);
                route.append("/{").append(name).append('}');
                regex.append("/([^/]+)");
                String value = data.consumeString(16);
                if (value.isEmpty() || !encodable(value)) {
                    value = "v";
                }
                values.add(value);
                path.append('/').append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            } else {
                String literal = ParserFuzzing.text(data, LITERAL_CHARS, 8);
                if (literal.equals("*") || literal.equals("%")) {
                    literal = "x";
                }
                route.append('/').append(literal);
                regex.append('/').append(Pattern.quote(literal));
                path.append('/').append(literal);
            }
        }
        String remainder = "";
        if (prefix) {
            route.append("/*");
            regex.append("/(.*)");
            remainder = data.consumeString(32);
            if (!encodable(remainder)) {
                remainder = "";
            }
            path.append('/').append(URLEncoder.encode(remainder, StandardCharsets.UTF_8).replace("+", "%20")
                    .replace("%2F", "/"));
        }
        regex.append('$');

        List<String> seen = new ArrayList<>();
        Router router = new Router.Builder().add("GET", route.toString(), request -> {
            seen.clear();
            names.forEach(name -> seen.add(request.pathParam(name)));
            seen.add(request.pathParam("*"));
            return MATCHED;
        }).build();
        byte[] target = filled ? path.toString().getBytes(StandardCharsets.US_ASCII) : anyPath(data);
        HttpResponse response = answer(router, request(target));

        String raw = new String(target, StandardCharsets.US_ASCII);
        Matcher matcher = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(raw);
        if (!matcher.matches()) {
            assertThat(response.status()).as("%s routed by %s", raw, route).isEqualTo(404);
            return;
        }
        assertThat(response.status()).as("%s routed by %s", raw, route).isIn(200, 400);
        if (filled) {
            assertThat(response.status()).as("%s routed by %s", raw, route).isEqualTo(200);
            List<String> expected = new ArrayList<>(values);
            expected.add(prefix ? remainder : null);
            assertThat(seen).as("parameters of %s by %s", raw, route).isEqualTo(expected);
        }
    }

    /** What the connection answers: the selected handler's response, 400 for a parameter that does not decode. */
    private static HttpResponse answer(Router router, HttpRequest request) {
        try {
            return router.select(request).handle(request);
        } catch (BadRequestException e) {
            return Router.BAD_REQUEST;
        }
    }

    /** A path as a request line lets through: visible ASCII, starting with /, no ?. */
    private static byte[] anyPath(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] path = new byte[bytes.length + 1];
        path[0] = '/';
        for (int i = 0; i < bytes.length; i++) {
            byte b = (byte) (0x21 + (bytes[i] & 0x7F) % 0x5E);
            path[i + 1] = b == '?' ? (byte) '/' : b;
        }
        return path;
    }

    private static HttpRequest request(byte[] target) {
        HttpRequest request = new HttpRequest();
        request.reset();
        request.head = target;
        request.method = HttpRequest.Method.GET;
        request.targetStart = 0;
        request.targetEnd = target.length;
        request.pathStart = 0;
        request.pathEnd = target.length;
        return request;
    }

    private static boolean encodable(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
    }
}
