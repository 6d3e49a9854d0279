package io.jepoll.http;

import java.time.Instant;
import java.util.List;

/**
 * A file's validators (RFC 9110 section 8.8) and the preconditions of a GET or HEAD that use
 * them: {@code If-None-Match} and {@code If-Modified-Since}, which may make the answer 304, and
 * {@code If-Range}, which decides whether a {@code Range} is honoured.
 */
final class Validators {

    private Validators() {
    }

    /**
     * {@return a strong entity tag for a file of this size and modification time, quotes included}
     * {@code "<size>-<seconds><nanoseconds>"} in hex, the nanoseconds as 8 digits: a file
     * rewritten with the same size gets a new tag unless its time stamp stays the same, as with a
     * file system that keeps whole seconds only. The fields are hex to keep the tag short, as
     * nginx's are; any date, even past 2262 where nanoseconds overflow a long, gets its own tag.
     *
     * @param size the file's length
     * @param lastModified the file's modification time
     */
    static String etag(long size, Instant lastModified) {
        return '"' + Long.toHexString(size) + '-' + Long.toHexString(lastModified.getEpochSecond())
                + String.format("%08x", lastModified.getNano()) + '"';
    }

    /**
     * {@return whether a GET or HEAD is answered 304 Not Modified}
     * As RFC 9110 section 13.2.2 orders them: {@code If-None-Match}, when present, decides alone,
     * by weak comparison (section 13.1.2: {@code W/} is ignored); a list is read up to its first
     * member that is neither an entity tag nor {@code *}, and what follows matches nothing. Without it, {@code If-Modified-Since} does, in
     * whole seconds as {@code Last-Modified} has them, and is ignored unless it is exactly one
     * valid HTTP-date.
     *
     * @param ifNoneMatch the values of every {@code If-None-Match} line, as the request has them
     * @param ifModifiedSince the values of every {@code If-Modified-Since} line
     * @param etag the representation's tag, from {@link #etag}
     * @param lastModified the representation's modification time
     */
    static boolean notModified(List<String> ifNoneMatch, List<String> ifModifiedSince, String etag,
            Instant lastModified) {
        if (!ifNoneMatch.isEmpty()) {
            return anyWeaklyMatches(ifNoneMatch, etag);
        }
        if (ifModifiedSince.size() != 1) {
            return false;
        }
        long since = HttpDate.parse(ifModifiedSince.get(0));
        return since >= 0 && lastModified.getEpochSecond() <= since;
    }

    /**
     * {@return whether a {@code Range} is honoured under this {@code If-Range}: true without one}
     * Section 13.1.5: an entity tag must match strongly (a weak one never does), a date must be
     * {@code Last-Modified} exactly; anything else means the whole representation is sent. A date
     * holds for every version written within the same second; clients that have an entity tag
     * send it instead.
     *
     * @param ifRange the {@code If-Range} value, or null
     * @param etag the representation's tag, from {@link #etag}
     * @param lastModified the representation's modification time
     */
    static boolean rangeApplies(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(etag);
        }
        return HttpDate.parse(ifRange) == lastModified.getEpochSecond();
    }

    /**
     * Whether one member of the lists is {@code *} or a tag whose opaque part is {@code etag}'s.
     * The lists follow RFC 9110 section 5.6.1: members separated by commas with optional white
     * space, empty members ignored.
     */
    private static boolean anyWeaklyMatches(List<String> lists, String etag) {
        for (String list : lists) {
            int at = 0;
            while (true) {
                at = skip(list, at, " \t,");
                if (at == list.length()) {
                    break;
                }
                boolean any = list.charAt(at) == '*';
                int open = list.startsWith("W/", at) ? at + 2 : at;
                int end = any ? at + 1 : closingQuote(list, open) + 1;
                int next = skip(list, Math.max(end, at), " \t");
                if (end == 0 || (next < list.length() && list.charAt(next) != ',')) {
                    return false;
                }
                if (any || (end - open == etag.length() && list.startsWith(etag, open))) {
                    return true;
                }
                at = next;
            }
        }
        return false;
    }

    /** The index of the quote that closes an opaque-tag opening at {@code open}, or -1 where there is none. */
    private static int closingQuote(String list, int open) {
        if (open >= list.length() || list.charAt(open) != '"') {
            return -1;
        }
        for (int i = open + 1; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c < 0x21 || c == 0x7F || c > 0xFF) {
                return -1;
            }
        }
        return -1;
    }

    private static int skip(String text, int at, String chars) {
        while (at < text.length() && chars.indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return at;
    }
}
