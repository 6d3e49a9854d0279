package io.jepoll.http;

/** Byte classes of RFC 9110/9112, by table lookup. */
final class Ascii {

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0x7E; c++) {
            FIELD_VALUE[c] = true;
            TARGET[c] = true;
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0; c < 128; c++) {
            HOST[c] = Character.isLetterOrDigit(c) || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
        }
        FIELD_VALUE[' '] = true;
        FIELD_VALUE['\t'] = true;
    }

    private Ascii() {
    }

    /** A token character (method, header name, transfer coding). */
    static boolean tchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** A field-value character: visible, SP, HTAB or obs-text; never CR, LF, NUL or another CTL. */
    static boolean fieldValue(byte b) {
        return FIELD_VALUE[b & 0xFF];
    }

    /** A request-target character: visible ASCII, no space. */
    static boolean target(byte b) {
        return TARGET[b & 0xFF];
    }

    /** A reg-name character of a Host: unreserved, sub-delims, or % of a pct-encoding. */
    static boolean hostChar(byte b) {
        return HOST[b & 0xFF];
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
