package io.jepoll.benchmarks.compare;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A server or load generator this JVM started and answers for: whatever happens, neither it nor
 * anything it started outlives the run. {@link #stop} asks with SIGTERM (a jepoll server prints
 * its totals on the way out), then kills; a shutdown hook stops whatever is still running when
 * this JVM exits, on Ctrl-C included.
 */
final class Supervised {

    static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new File("/dev/null"));
    /** How long a killed process may take to be gone. */
    private static final Duration KILL_BOUND = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    private static final Set<Supervised> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING)
                .forEach(process -> process.stop(Duration.ofSeconds(2))), "supervised-stop"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private Supervised(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the command with stdin from /dev/null and stdout and stderr together into {@code log}. */
    static Supervised start(String name, List<String> command, Path log) throws IOException {
        return start(name, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()), log);
    }

    /**
     * Starts a process set up by the caller (who may read its stderr, say); {@code log} is where
     * its stdout goes, for {@link #awaitLine} and {@link #logTail}.
     */
    static Supervised start(String name, ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectInput(NO_INPUT).start();
        Supervised supervised = new Supervised(name, process, log);
        RUNNING.add(supervised);
        return supervised;
    }

    Process process() {
        return process;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Waits until the log holds a line containing {@code text}.
     *
     * @throws StartException when the process exits first, or {@code bound} passes
     */
    void awaitLine(String text, Duration bound) throws StartException, InterruptedException {
        awaitReady(() -> read(log).lines().anyMatch(line -> line.contains(text)), "printed no '" + text + "'", bound);
    }

    /** Waits until something listens on the loopback port: a server that does not say when it is ready. */
    void awaitListener(int port, Duration bound) throws StartException, InterruptedException {
        awaitReady(() -> !PortCheck.isFree(port), "did not listen on port " + port, bound);
    }

    private void awaitReady(BooleanSupplier ready, String failure, Duration bound)
            throws StartException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new StartException(name + " exited (status " + process.exitValue() + ") before it was ready;"
                        + " its output:\n" + read(log));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StartException(name + " " + failure + " within " + bound.toSeconds() + " s; its output:\n"
                        + read(log));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Its exit status, or empty when it is still running after {@code bound}. */
    OptionalInt waitFor(Duration bound) throws InterruptedException {
        if (process.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    /**
     * Sends SIGTERM and waits up to {@code grace} for the exit; then kills the process if it is
     * still running, and whatever it started that is, and waits for them to be gone.
     *
     * @return whether it exited on SIGTERM (or had already), false when it had to be killed
     */
    boolean stop(Duration grace) {
        // Taken first: once the process has exited, its children are no longer its descendants.
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
        boolean exited = !process.isAlive();
        try {
            if (!exited) {
                process.destroy();
                exited = process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
            }
            Stream.concat(tree.stream(), process.descendants()).filter(Supervised::isRunning)
                    .forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle member : tree) {
                awaitGone(member);
            }
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
        }
        return exited;
    }

    private static void awaitGone(ProcessHandle member) throws InterruptedException {
        long deadline = System.nanoTime() + KILL_BOUND.toNanos();
        while (isRunning(member) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }

    /**
     * Alive and not a zombie. A killed orphan stays a zombie until PID 1 reaps it, which in a
     * container may take seconds; it holds no port and uses no CPU any more.
     */
    static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && ProcStat.state(process.pid()).filter(state -> state != 'Z').isPresent();
    }

    /** The last {@code lines} lines of its output, joined with spaces: an error's detail. */
    String logTail(int lines) {
        List<String> all = read(log).lines().toList();
        return String.join(" ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    String logText() {
        return read(log);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** A server or load generator that did not get ready. */
    static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message) {
            super(message);
        }
    }
}
