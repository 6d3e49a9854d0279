package io.jepoll.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a request's path to a file under a root directory, and refuses every path that could
 * name anything else. The rules, and why:
 * <ul>
 * <li>Each segment is percent-decoded once, strictly ({@link UrlDecoding}): bad escapes and bytes
 *     that are not UTF-8 are 400, and so is a decoded {@code /} or {@code \} ({@code %2F}), NUL or
 *     other control character, which would make one segment name several files, or a file name
 *     no one means.</li>
 * <li>{@code .} and {@code ..} segments, raw or encoded ({@code %2e%2e}), and empty ones
 *     ({@code //}) are 400, not normalised away: a client that sends them is probing, and one
 *     name per file keeps caches and logs honest. It also keeps a redirect's {@code Location}
 *     from starting with {@code //}, which a browser would take for another host.</li>
 * <li>Hidden files: a segment that starts with a dot ({@code .git}, {@code .env}) is 404, as if
 *     absent: they are far more often left there by mistake than meant to be served.</li>
 * <li>The path must resolve, following symbolic links, to something under the root's real path,
 *     else 404: a link out of the root is never followed, whatever it points to. Links within the
 *     root are followed; so are the root's own.</li>
 * <li>A directory is served as its {@code index.html} when that is a regular file under the root,
 *     else 403; asked for without a trailing slash it is a 301 to the slash form, as nginx does,
 *     so that the page's relative links resolve under it.</li>
 * <li>What is not a regular file or a directory (a fifo, a device, a socket) is 404 and never
 *     opened: opening a fifo for reading would block.</li>
 * <li>Anything else that cannot be read (missing, no permission, too long a name, a loop of
 *     links) is 404.</li>
 * </ul>
 * The checks run when the path is resolved; a root that others change meanwhile (replacing a
 * checked file by a link or a fifo) is beyond them: the root is the operator's, and trusted.
 */
final class StaticPaths {

    /** What a path resolves to. */
    sealed interface Resolution {
    }

    /**
     * A regular file to serve.
     *
     * @param file its real path, links resolved, under the root
     * @param name the name the client asked for (the last segment, or {@code index.html}), whose
     *     extension gives the media type even where {@code file} is a link's target
     * @param size its length in bytes
     * @param lastModified its modification time
     */
    record Found(Path file, String name, long size, Instant lastModified) implements Resolution {
    }

    /**
     * A directory asked for without its trailing slash: answer 301 to {@code location}, the
     * request's path (still percent-encoded) with a slash added; the caller adds the query, if any.
     */
    record Redirect(String location) implements Resolution {
    }

    /** Nothing to serve: answer {@code status} (400, 403 or 404). */
    record Refused(int status) implements Resolution {
    }

    static final Refused BAD_REQUEST = new Refused(400);
    static final Refused FORBIDDEN = new Refused(403);
    static final Refused NOT_FOUND = new Refused(404);

    private static final String INDEX = "index.html";

    private final Path root;

    /**
     * @param root the directory to serve; its real path is taken once, here
     * @throws IOException when it does not exist or is not a directory
     */
    StaticPaths(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new NotDirectoryException(root.toString());
        }
    }

    /** {@return the root's real path} */
    Path root() {
        return root;
    }

    /**
     * {@return what {@code rawPath} names under the root}
     *
     * @param rawPath the request's path as {@link HttpRequest#path()} gives it: percent-encoded,
     *     without the query
     */
    Resolution resolve(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return BAD_REQUEST;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '\\') {
                return BAD_REQUEST;
            }
        }
        boolean directoryAsked = rawPath.endsWith("/");
        List<String> segments = segments(rawPath.getBytes(StandardCharsets.US_ASCII));
        if (segments == null) {
            return BAD_REQUEST;
        }
        for (String segment : segments) {
            if (segment.startsWith(".")) {
                return NOT_FOUND;
            }
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = root.resolve(String.join("/", segments)).toRealPath();
            if (!real.startsWith(root)) {
                return NOT_FOUND;
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | InvalidPathException unreadable) {
            return NOT_FOUND;
        }
        if (attributes.isDirectory()) {
            return directoryAsked ? index(real) : new Redirect(rawPath + "/");
        }
        if (!attributes.isRegularFile() || directoryAsked) {
            return NOT_FOUND;
        }
        return found(real, segments.get(segments.size() - 1), attributes);
    }

    /** The decoded segments after the leading slash, or null where one is not a plain name. */
    private static List<String> segments(byte[] path) {
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start < path.length) {
            int end = start;
            while (end < path.length && path[end] != '/') {
                end++;
            }
            String segment;
            try {
                segment = UrlDecoding.path(path, start, end);
            } catch (BadRequestException malformed) {
                return null;
            }
            if (!plainName(segment)) {
                return null;
            }
            segments.add(segment);
            start = end + 1;
        }
        return segments;
    }

    private static boolean plainName(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private Resolution index(Path directory) {
        try {
            Path index = directory.resolve(INDEX).toRealPath();
            BasicFileAttributes attributes =
                    Files.readAttributes(index, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (index.startsWith(root) && attributes.isRegularFile()) {
                return found(index, INDEX, attributes);
            }
        } catch (IOException noIndex) {
            // Then the directory has none to serve.
        }
        return FORBIDDEN;
    }

    private static Found found(Path file, String name, BasicFileAttributes attributes) {
        return new Found(file, name, attributes.size(), attributes.lastModifiedTime().toInstant());
    }
}
