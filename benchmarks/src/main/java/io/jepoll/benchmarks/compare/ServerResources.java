package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A JVM server's open fds, its heap after a full GC (jcmd), and its resident memory, as the soak reports them. */
final class ServerResources {

    private static final Pattern HEAP_USED = Pattern.compile("\\bused (\\S+)");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    private ServerResources() {
    }

    /** "fds N, heap N after a full GC, rss N kB" (RSS also counts heap the JVM has grown into). */
    static String describe(long pid) {
        Commands.output(List.of("jcmd", Long.toString(pid), "GC.run"));
        String heap = Commands.output(List.of("jcmd", Long.toString(pid), "GC.heap_info")).flatMap(ServerResources::heapUsed)
                .orElse("?");
        return "fds " + openFds(pid) + ", heap " + heap + " after a full GC, rss "
                + read(Path.of("/proc", Long.toString(pid), "status")).flatMap(ServerResources::rssKilobytes).orElse("?")
                + " kB";
    }

    /** From {@code jcmd PID GC.heap_info}: the first "used" figure, the whole heap's. */
    static Optional<String> heapUsed(String heapInfo) {
        Matcher used = HEAP_USED.matcher(heapInfo);
        return used.find() ? Optional.of(used.group(1)) : Optional.empty();
    }

    /** From {@code /proc/PID/status}. */
    static Optional<String> rssKilobytes(String status) {
        Matcher rss = RSS.matcher(status);
        return rss.find() ? Optional.of(rss.group(1)) : Optional.empty();
    }

    private static String openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return Long.toString(fds.count());
        } catch (IOException e) {
            return "?";
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
