package io.jepoll.cli;

import io.jepoll.tls.TlsContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Looks at a TLS server's key and certificate files every so often and has the server read them
 * again when one changed, so that a renewed certificate is served without a restart. A change
 * is a new size, modification time or file (a replacing rename, a symlink pointed elsewhere):
 * a stat per file, never a read. A file that cannot be used leaves the keys loaded before in use.
 */
final class CertificateReloader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

    private final TlsContext tls;
    private final List<Path> files;
    private List<Stamp> seen;
    private ScheduledExecutorService timer;

    /** What a stat says of one file; all null when it cannot be read. */
    private record Stamp(Long size, FileTime modified, Object fileKey) {
    }

    /**
     * Takes the files' stamps now: taken before the server first reads the files, a change made
     * while it does is seen at the first check.
     */
    CertificateReloader(TlsContext tls, List<Path> files) {
        this.tls = tls;
        this.files = List.copyOf(files);
        this.seen = stamps();
    }

    /** Checks the files every {@code interval}, on a daemon thread of its own. */
    synchronized void checkEvery(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "jepoll-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Reloads when a file changed since the last check; a file that stays broken is reported once. */
    void check() {
        List<Stamp> now = stamps();
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            tls.load();
            LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from " + names());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING,
                    "TLS certificate not reloaded, the one loaded before stays in use: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private List<Stamp> stamps() {
        return files.stream().map(CertificateReloader::stamp).toList();
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        } catch (IOException e) {
            return new Stamp(null, null, null);
        }
    }

    private String names() {
        return files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
