package io.jepoll.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.loop.Transport;

/** The examples run on every transport; the epoll ones only where jepoll's native library loads. */
public final class Transports {

    private Transports() {
    }

    /** Skips the test, naming the library's reason, when {@code transport} cannot run here. */
    public static void assumeAvailable(Transport transport) {
        assumeTrue(transport.isAvailable(),
                () -> transport + " cannot run here: " + transport.unavailabilityReason().orElse("(no reason given)"));
    }
}
