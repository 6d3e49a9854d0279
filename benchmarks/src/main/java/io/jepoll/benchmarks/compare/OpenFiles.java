package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The open-files limit the servers, wrk and echo-load inherit from this JVM (compare.sh raises
 * its soft limit to the hard one first): a run of C connections needs C fds in the server and C
 * in the load generator, plus a few of their own.
 */
final class OpenFiles {

    /** Past the connections, the fds a server or load generator needs (listener, epoll, a JVM's jars and pipes). */
    static final int HEADROOM = 256;
    private static final Pattern LIMIT = Pattern.compile("(?m)^Max open files\\s+(\\d+|unlimited)\\s");

    private OpenFiles() {
    }

    /** The soft limit in {@code /proc/self/limits}'s text; empty when it is not there, MAX_VALUE for "unlimited". */
    static OptionalLong softLimit(String limits) {
        Matcher line = LIMIT.matcher(limits);
        if (!line.find()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(line.group(1).equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(line.group(1)));
    }

    static OptionalLong softLimit() {
        try {
            return softLimit(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Why runs at {@code connections} will fail for want of fds, or empty when the limit allows them. */
    static Optional<String> shortfall(OptionalLong softLimit, int connections) {
        long needed = (long) connections + HEADROOM;
        if (softLimit.isEmpty() || softLimit.getAsLong() >= needed) {
            return Optional.empty();
        }
        return Optional.of("the open-files limit is " + softLimit.getAsLong() + ", below the " + needed + " that "
                + connections + " connections need: those runs will fail (raise the hard limit: ulimit -Hn as root,"
                + " limits.conf, or docker run --ulimit nofile=N:N)");
    }
}
