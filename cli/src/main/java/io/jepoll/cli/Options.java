package io.jepoll.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Checks of option values that picocli's types cannot express; a failure is a usage error naming the option. */
final class Options {

    private Options() {
    }

    static void require(CommandLine commandLine, boolean holds, String message) {
        if (!holds) {
            throw new CommandLine.ParameterException(commandLine, message);
        }
    }

    /** A duration given must be more than zero; one not given (null) is the command's default. */
    static void requirePositive(CommandLine commandLine, String option, Duration value) {
        require(commandLine, value == null || !value.isNegative() && !value.isZero(),
                option + " must be more than zero: " + value);
    }
}
