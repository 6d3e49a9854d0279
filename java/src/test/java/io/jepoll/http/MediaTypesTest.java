package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code Content-Type} a file is served with, from its name. */
class MediaTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "index.html   | text/html; charset=utf-8",
        "old.htm      | text/html; charset=utf-8",
        "site.css     | text/css; charset=utf-8",
        "app.js       | text/javascript; charset=utf-8",
        "module.mjs   | text/javascript; charset=utf-8",
        "data.json    | application/json",
        "notes.txt    | text/plain; charset=utf-8",
        "feed.xml     | application/xml",
        "logo.svg     | image/svg+xml",
        "a.png        | image/png",
        "a.jpg        | image/jpeg",
        "a.jpeg       | image/jpeg",
        "a.gif        | image/gif",
        "a.webp       | image/webp",
        "favicon.ico  | image/x-icon",
        "a.avif       | image/avif",
        "f.woff       | font/woff",
        "f.woff2      | font/woff2",
        "f.ttf        | font/ttf",
        "f.otf        | font/otf",
        "app.wasm     | application/wasm",
        "doc.pdf      | application/pdf",
        "all.zip      | application/zip",
        "all.tar.gz   | application/gzip",
        "clip.mp4     | video/mp4",
        "clip.webm    | video/webm",
        "song.mp3     | audio/mpeg",
        "song.ogg     | audio/ogg",
        "song.wav     | audio/wav",
        "table.csv    | text/csv; charset=utf-8",
        "README.md    | text/markdown; charset=utf-8",
        "app.js.map   | application/json",
        "INDEX.HTML   | text/html; charset=utf-8",
        "Photo.JpEg   | image/jpeg",
        "é.Txt        | text/plain; charset=utf-8",
    })
    void knownExtensionsInAnyCase(String name, String type) {
        assertThat(MediaTypes.forFileName(name)).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "README", "archive.tar", "a.exe", "a.", "html", ".html", ".gz", "a.html.bak",
        "a.htmlx", "a.j", "a.jsx", "a. js", "a.js "})
    void anythingElseIsOctetStream(String name) {
        assertThat(MediaTypes.forFileName(name)).as(name).isEqualTo("application/octet-stream");
    }
}
