package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** CPU time from {@code /proc/PID/stat}, in clock ticks (see {@link #ticksPerSecond()}). */
final class ProcStat {

    /** Field numbers as proc(5) counts them, from 1. */
    private static final int UTIME = 14;
    private static final int CSTIME = 17;

    private ProcStat() {
    }

    /** utime + stime: the CPU time the process itself has used. */
    static long ownTicks(String stat) {
        long[] fields = timeFields(stat);
        return fields[0] + fields[1];
    }

    /** cutime + cstime: the CPU time of the children the process has waited for. */
    static long waitedForChildrenTicks(String stat) {
        long[] fields = timeFields(stat);
        return fields[2] + fields[3];
    }

    /** Fields 14 to 17. */
    private static long[] timeFields(String stat) {
        // "pid (comm) state ...": comm may hold spaces and parentheses, so fields are counted after its last ')'.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long[] fields = new long[CSTIME - UTIME + 1];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = Long.parseLong(rest[UTIME - 3 + i]);
        }
        return fields;
    }

    /** The state letter (R, S, D, Z, ...); empty once the process is gone. */
    static Optional<Character> state(long pid) {
        return read(pid).map(stat -> stat.charAt(stat.lastIndexOf(')') + 2));
    }

    /** The process's own CPU time; empty once it has exited. */
    static OptionalLong ownTicks(long pid) {
        return read(pid).map(stat -> OptionalLong.of(ownTicks(stat))).orElse(OptionalLong.empty());
    }

    /**
     * The CPU time of a process and of its descendants now running: a server's whole tree (nginx's
     * master and worker, say). Empty once the process itself has exited.
     */
    static OptionalLong treeTicks(ProcessHandle root) {
        OptionalLong own = ownTicks(root.pid());
        if (own.isEmpty()) {
            return own;
        }
        List<ProcessHandle> descendants = root.descendants().toList();
        return OptionalLong.of(own.getAsLong() + descendants.stream().mapToLong(child -> ownTicks(child.pid()).orElse(0))
                .sum());
    }

    /**
     * The CPU time of this JVM's children that have been waited for: across one load generator's
     * run, its CPU time, when nothing else was reaped meanwhile.
     */
    static long waitedForChildrenTicks() {
        return read(ProcessHandle.current().pid()).map(ProcStat::waitedForChildrenTicks)
                .orElseThrow(() -> new IllegalStateException("/proc/self/stat cannot be read"));
    }

    /** The kernel's clock ticks per second (getconf CLK_TCK); 100 on every Linux this runs on in practice. */
    static long ticksPerSecond() {
        return Commands.firstLine(List.of("getconf", "CLK_TCK")).filter(line -> line.matches("[0-9]+"))
                .map(Long::parseLong).orElse(100L);
    }

    private static Optional<String> read(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return Optional.empty(); // it exited
        }
    }
}
