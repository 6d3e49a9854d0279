package io.jepoll.http;

/**
 * What a {@code Range} header (RFC 9110 section 14) asks of a representation of known size: the
 * whole of it (200), one part (206), or nothing it has (416).
 *
 * <p>Only a single range is served. A header with several ranges is answered with the whole
 * representation, which section 14.2 allows (a server may ignore {@code Range}): multipart
 * answers are rarely asked for, and many small or overlapping ranges are a known way to make a
 * server work hard (CVE-2011-3192). A header that is not a valid {@code bytes} range set is ignored
 * too, as section 14.2 requires for a unit the server does not know.
 */
sealed interface ByteRange {

    /** The whole representation: answer 200 as if there were no {@code Range}. */
    record Full() implements ByteRange {
    }

    /** The bytes from {@code start}, {@code length} of them, of {@code size}: answer 206. */
    record Partial(long start, long length, long size) implements ByteRange {

        /** {@return the {@code Content-Range} value, {@code bytes first-last/size}} */
        String contentRange() {
            return "bytes " + start + "-" + (start + length - 1) + "/" + size;
        }
    }

    /** No byte asked for exists: answer 416 with {@link #contentRange()}. */
    record Unsatisfiable(long size) implements ByteRange {

        /** {@return the {@code Content-Range} value, {@code bytes *}{@code /size}} */
        String contentRange() {
            return "bytes */" + size;
        }
    }

    /**
     * {@return what {@code range} asks of {@code size} bytes}
     * A first position past the end, or a suffix of 0 bytes, is unsatisfiable; a last position
     * past the end stops at the end. A number past {@link Long#MAX_VALUE} counts as that: as a
     * first position it is past the end, as a last position or a suffix length it reaches the end.
     * Of an empty representation, a suffix ({@code bytes=-5}) asks for all of it, which section
     * 14.1.1 counts as satisfiable and no {@code Content-Range} can express: it is answered whole.
     *
     * @param range the header's value, null when there is none
     * @param size the representation's length, not negative
     */
    static ByteRange of(String range, long size) {
        if (range == null || range.length() < 6 || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Full();
        }
        Spec only = null;
        int at = 6;
        int count = 0;
        while (true) {
            int end = range.indexOf(',', at);
            int from = at == 6 ? at : skipWhiteSpace(range, at, 1);
            int to = end < 0 ? range.length() : skipWhiteSpace(range, end, -1);
            String element = range.substring(from, Math.max(from, to));
            if (!element.isEmpty()) {
                only = Spec.parse(element);
                if (only == null) {
                    return new Full();
                }
                count++;
            }
            if (end < 0) {
                break;
            }
            at = end + 1;
        }
        return count == 1 ? only.of(size) : new Full();
    }

    /**
     * Past the spaces and tabs from {@code at} on ({@code step} 1), or back over those before it
     * (-1): the list's OWS, which RFC 9110 section 5.6.1 allows around commas only.
     */
    private static int skipWhiteSpace(String text, int at, int step) {
        int i = step > 0 ? at : at - 1;
        while (i >= 0 && i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i += step;
        }
        return step > 0 ? i : i + 1;
    }

    /**
     * One range-spec: {@code first-last}, {@code first-} ({@code last} -1) or {@code -suffix}
     * ({@code first} -1). Its numbers are ASCII digits with no sign or white space.
     */
    record Spec(long first, long last, long suffix) {

        /** The spec, or null where {@code text} is none (also where last comes before first). */
        static Spec parse(String text) {
            int dash = text.indexOf('-');
            if (dash < 0) {
                return null;
            }
            if (dash == 0) {
                long suffix = number(text, 1, text.length());
                return suffix < 0 ? null : new Spec(-1, -1, suffix);
            }
            long first = number(text, 0, dash);
            long last = dash + 1 == text.length() ? -1 : number(text, dash + 1, text.length());
            if (first < 0 || (last < 0 && dash + 1 != text.length()) || (last >= 0 && last < first)) {
                return null;
            }
            return new Spec(first, last, -1);
        }

        ByteRange of(long size) {
            if (first < 0) {
                if (suffix == 0) {
                    return new Unsatisfiable(size);
                }
                return size == 0 ? new Full() : new Partial(size - Math.min(suffix, size), Math.min(suffix, size), size);
            }
            if (first >= size) {
                return new Unsatisfiable(size);
            }
            long end = last < 0 || last >= size - 1 ? size : last + 1;
            return new Partial(first, end - first, size);
        }

        /** Digits from {@code from} to {@code to}, at most {@link Long#MAX_VALUE}; -1 for none or another char. */
        private static long number(String text, int from, int to) {
            if (from == to) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                int digit = c - '0';
                value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
            }
            return value;
        }
    }
}
