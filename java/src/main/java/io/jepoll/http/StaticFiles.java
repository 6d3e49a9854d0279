package io.jepoll.http;

import io.jepoll.net.SendableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves the files under a root directory on a prefix route: GET and HEAD, {@code ETag} and
 * {@code Last-Modified} with their conditional requests (304), a single {@code Range} (206, 416),
 * a directory's {@code index.html}. Which file a path names, and which paths are refused, is
 * {@link StaticPaths}'s; the bytes go with sendfile where the transport has it. Resolving and
 * opening a file are file-system calls made on the loop: fast on a local disk, as for nginx
 * without thread pools.
 */
final class StaticFiles implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(StaticFiles.class.getName());

    private final StaticPaths paths;
    /** The route's prefix without its {@code /*}: empty for the root. */
    private final String prefix;

    StaticFiles(String prefix, Path root) throws IOException {
        this.paths = new StaticPaths(root);
        this.prefix = prefix;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String rawPath = request.path().substring(prefix.length());
        StaticPaths.Resolution resolution = paths.resolve(rawPath.isEmpty() ? "/" : rawPath);
        if (resolution instanceof StaticPaths.Refused refused) {
            return HttpResponse.status(refused.status());
        }
        if (resolution instanceof StaticPaths.Redirect redirect) {
            String query = request.query();
            return HttpResponse.status(301).withHeader("Location",
                    prefix + redirect.location() + (query == null ? "" : "?" + query));
        }
        StaticPaths.Found found = (StaticPaths.Found) resolution;
        String etag = Validators.etag(found.size(), found.lastModified());
        String lastModified = HttpDate.format(found.lastModified());
        if (Validators.notModified(request.headers("If-None-Match"), request.headers("If-Modified-Since"), etag,
                found.lastModified())) {
            return HttpResponse.of(304, null, new byte[0]).withHeader("ETag", etag)
                    .withHeader("Last-Modified", lastModified);
        }
        ByteRange range = Validators.rangeApplies(request.header("If-Range"), etag, found.lastModified())
                ? ByteRange.of(request.header("Range"), found.size()) : new ByteRange.Full();
        if (range instanceof ByteRange.Unsatisfiable unsatisfiable) {
            return HttpResponse.status(416).withHeader("Content-Range", unsatisfiable.contentRange());
        }
        SendableFile file;
        try {
            file = request.connection.openFile(found.file());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot open " + found.file() + ": " + e.getMessage());
            return HttpResponse.status(403);
        }
        String type = MediaTypes.forFileName(found.name());
        HttpResponse answer = range instanceof ByteRange.Partial partial
                ? HttpResponse.file(206, type, file, partial.start(), partial.length())
                        .withHeader("Content-Range", partial.contentRange())
                : HttpResponse.file(200, type, file, 0, found.size());
        return answer.withHeader("ETag", etag).withHeader("Last-Modified", lastModified)
                .withHeader("Accept-Ranges", "bytes");
    }
}
