package io.jepoll.echo;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What this test process holds, for the leak and memory tests: open fds, and memory measured
 * after a full GC so that garbage does not count.
 */
public final class ProcessResources {

    private ProcessResources() {
    }

    /**
     * Memory after a full GC.
     *
     * @param heapBytes live heap: what the last GC left
     * @param heapCommittedBytes heap the JVM has taken from the system, live or not
     * @param directBytes direct ByteBuffers' memory (the "direct" buffer pool)
     * @param directBuffers how many direct ByteBuffers exist
     * @param mallocBytes bytes the C library's malloc has handed out and not had back, over all
     *     arenas (mallinfo2: uordblks + hblkhd): JNA's {@code Memory}, direct buffers, and
     *     the JVM's own native allocations
     * @param rssBytes the resident set (VmRSS)
     */
    public record Memory(long heapBytes, long heapCommittedBytes, long directBytes, long directBuffers,
            long mallocBytes, long rssBytes) {

        @Override
        public String toString() {
            return String.format("heap %,d of %,d, direct %,d in %,d buffers, malloc %,d, rss %,d", heapBytes,
                    heapCommittedBytes, directBytes, directBuffers, mallocBytes, rssBytes);
        }
    }

    public static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Each open fd and what it is (a file's path, {@code socket:[inode]}, ...), for messages. */
    public static Map<String, String> openFdTargets() throws IOException {
        Map<String, String> targets = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // The listing's own fd, or one closed since: not open any more.
                }
            }
        }
        return targets;
    }

    /**
     * Runs a full GC twice, each time waiting for the direct buffers it found unreachable to be
     * freed (their cleaners run on another thread, just after), and measures. Twice, because
     * what a finalizer still reached during the first is only freed by the second. The heap is
     * taken as the last GC left it: threads still at work allocate meanwhile.
     */
    public static Memory afterGc() throws InterruptedException {
        // Direct buffers are freed by the JDK's cleaner thread after a collection, and a busy machine
        // may start it late; a connection's thread (the blocking transport's) may also still hold
        // its buffer for a moment after the connection counted as closed. So collect until two
        // collections in a row leave the same direct memory, each time once it stopped changing.
        long previous = -1;
        for (int gc = 0; gc < 10; gc++) {
            System.gc();
            long direct = settledDirectBytes();
            if (direct == previous) {
                break;
            }
            previous = direct;
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                heap += pool.getCollectionUsage().getUsed();
            }
        }
        BufferPoolMXBean pool = direct();
        LibC.Mallinfo2 malloc = LibC.INSTANCE.mallinfo2();
        return new Memory(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(),
                pool.getMemoryUsed(), pool.getCount(), malloc.uordblks + malloc.hblkhd, rssBytes());
    }

    /** Direct memory in use once it has not changed for 100 ms, or after 2 s. */
    private static long settledDirectBytes() throws InterruptedException {
        long direct = direct().getMemoryUsed();
        int unchanged = 0;
        for (int i = 0; i < 200 && unchanged < 10; i++) {
            Thread.sleep(10);
            long now = direct().getMemoryUsed();
            unchanged = now == direct ? unchanged + 1 : 0;
            direct = now;
        }
        return direct;
    }

    private static BufferPoolMXBean direct() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no direct buffer pool MXBean"));
    }

    private static long rssBytes() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            String line = lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no VmRSS in /proc/self/status"));
            return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
    }

    /** glibc's malloc statistics; JNA's Memory is malloc'd, and nothing else counts it. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        Mallinfo2.ByValue mallinfo2();

        @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                "fordblks", "keepcost"})
        class Mallinfo2 extends Structure {
            public long arena;
            public long ordblks;
            public long smblks;
            public long hblks;
            public long hblkhd;
            public long usmblks;
            public long fsmblks;
            public long uordblks;
            public long fordblks;
            public long keepcost;

            public static class ByValue extends Mallinfo2 implements Structure.ByValue {
            }
        }
    }
}
