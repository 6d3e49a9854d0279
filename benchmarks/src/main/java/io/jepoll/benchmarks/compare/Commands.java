package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Short commands whose output is a fact about the machine (a version, a setting). */
final class Commands {

    private static final long BOUND_SECONDS = 30;

    private Commands() {
    }

    /** The command's stdout and stderr together; empty when it cannot run, fails, or takes over 30 s. */
    static Optional<String> output(List<String> command) {
        return run(command, true);
    }

    /** The first line of {@link #output}, without its line break. */
    static Optional<String> firstLine(List<String> command) {
        return output(command).map(Commands::firstOf);
    }

    /** The first line the command prints, whatever its exit status: some print their version and exit 1. */
    static Optional<String> firstLineOfAnyExit(List<String> command) {
        return run(command, false).map(Commands::firstOf);
    }

    private static String firstOf(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static Optional<String> run(List<String> command, boolean mustSucceed) {
        Path file = null;
        try {
            // A file, not a pipe: reading a pipe to its end could wait for ever on a command that hangs.
            file = Files.createTempFile("jepoll-command", ".txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(file.toFile())
                    .redirectInput(Supervised.NO_INPUT).start();
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return !mustSucceed || process.exitValue() == 0 ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file left behind is harmless.
            }
        }
    }
}
