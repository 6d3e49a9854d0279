package io.jepoll.http;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a file, from its name's extension: a small fixed table of what a
 * web site serves, rather than the platform's guess ({@code Files.probeContentType}), which
 * differs from one machine to the next. Text is UTF-8, said in a {@code charset} parameter so
 * that browsers do not guess.
 */
final class MediaTypes {

    static final String UNKNOWN = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            // RFC 9239: text/javascript, for scripts and modules alike.
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            // JSON is UTF-8 by definition (RFC 8259) and its media type has no charset parameter.
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            // XML says its own encoding in its declaration (RFC 7303).
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("avif", "image/avif"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            // Browsers compile WebAssembly as it streams in only when it has this type.
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"));

    private MediaTypes() {
    }

    /**
     * {@return the media type for a file's name, {@link #UNKNOWN} when its extension is not in the table}
     * The extension follows the name's last dot, in any case; a name that starts with its only dot
     * ({@code .gz}) has none.
     *
     * @param fileName a file's name, without directories
     */
    static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return UNKNOWN;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }
}
