package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Decoding is the inverse of the JDK's encoder: any text {@link URLEncoder} encodes decodes back
 * to itself as a path parameter (with {@code +} sent as {@code %20}, as a path's plus is a plus)
 * and as a form value, and any list of pairs encoded as a query or form body parses back to the
 * same names and values, in order.
 */
class UrlRoundTripFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void encodedTextDecodesToItself(FuzzedDataProvider data) {
        List<String[]> pairs = new ArrayList<>();
        while (data.remainingBytes() > 0 && pairs.size() < 16) {
            String name = data.consumeString(32);
            String value = data.consumeString(64);
            if (!name.isEmpty() && encodable(name) && encodable(value)) {
                pairs.add(new String[] {name, value});
            }
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        StringJoiner query = new StringJoiner("&");
        for (String[] pair : pairs) {
            String name = pair[0];
            String value = pair[1];
            byte[] asForm = ascii(URLEncoder.encode(value, StandardCharsets.UTF_8));
            assertThat(UrlDecoding.form(asForm, 0, asForm.length)).isEqualTo(value);
            byte[] asPath = ascii(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(UrlDecoding.path(asPath, 0, asPath.length)).isEqualTo(value);

            expected.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        byte[] encoded = ascii(query.toString());
        assertThat(UrlDecoding.pairs(encoded, 0, encoded.length)).isEqualTo(expected);
    }

    /** Whether the text survives UTF-8: an unpaired surrogate does not, and URLEncoder makes it a '?'. */
    private static boolean encodable(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
