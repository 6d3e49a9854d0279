package io.jepoll.loop;

import io.jepoll.shim.Shim;
import java.util.Locale;
import java.util.Optional;

/** How a server's loops wait for and do I/O. Every protocol runs on every transport. */
public enum Transport {
    /** epoll, edge-triggered: each socket registered once, read until drained (with a budget). */
    EPOLL_ET("et"),
    /** epoll, level-triggered: one read per wake-up, EPOLLOUT only while output is pending. */
    EPOLL_LT("lt"),
    /** A java.nio Selector: the fallback wherever the native library cannot load. */
    NIO("nio"),
    /** A thread per connection with blocking I/O (virtual threads on JDK 21+): the baseline. */
    BLOCKING("blocking");

    private static final System.Logger LOG = System.getLogger(Transport.class.getName());
    private static volatile Transport best;

    private final String shortName;

    Transport(String shortName) {
        this.shortName = shortName;
    }

    /** {@return the name used on the command line: et, lt, nio or blocking} */
    public String shortName() {
        return shortName;
    }

    /** {@return whether this transport runs on the native library (the epoll ones)} */
    public boolean isNative() {
        return this == EPOLL_ET || this == EPOLL_LT;
    }

    /** {@return whether this transport can run here: the native library loaded, or it needs none} */
    public boolean isAvailable() {
        return !isNative() || Shim.isAvailable();
    }

    /** {@return why this transport cannot run here; empty when it can} */
    public Optional<String> unavailabilityReason() {
        return isNative() ? Shim.unavailabilityReason() : Optional.empty();
    }

    /**
     * Throws unless this transport can run here.
     *
     * @throws IllegalStateException naming the reason, when it cannot
     */
    public void requireAvailable() {
        unavailabilityReason().ifPresent(reason -> {
            throw new IllegalStateException(this + " is not available: " + reason);
        });
    }

    /** {@return whether {@link #BLOCKING} runs its connections on virtual threads (JDK 21+), not platform threads} */
    public static boolean blockingUsesVirtualThreads() {
        return ConnectionThreads.virtual();
    }

    /** {@return EPOLL_ET where the native library loads, else NIO; the reason for NIO is logged once} */
    public static Transport best() {
        Transport chosen = best;
        if (chosen == null) {
            chosen = EPOLL_ET.isAvailable() ? EPOLL_ET : NIO;
            if (chosen == NIO) {
                LOG.log(System.Logger.Level.WARNING, "using the java.nio transport: {0}",
                        Shim.unavailabilityReason().orElse("?"));
            }
            best = chosen;
        }
        return chosen;
    }

    /**
     * {@return the transport named}
     *
     * @param name {@code et}, {@code lt}, {@code nio}, {@code blocking} or an enum name, any case
     * @throws IllegalArgumentException naming the choices, for any other name
     */
    public static Transport parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Transport transport : values()) {
            if (transport.shortName.equals(wanted) || transport.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "': use et, lt, nio or blocking");
    }
}
