package io.jepoll.cli;

import com.sun.jna.Native;
import io.jepoll.loop.Transport;
import io.jepoll.shim.Shim;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jepoll info}: this machine, this JVM, and whether the native library loaded. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        description = "Print the OS, JDK, JNA version, the native library loaded (or why none), the binding to it and the transports.")
final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Transport best = Transport.best();
        out.printf("jepoll      %s%n", Main.version());
        out.printf("os          %s %s (%s)%n",
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        out.printf("jdk         %s (%s, %s)%n", System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), System.getProperty("java.vm.name"));
        out.printf("jna         %s%n", Native.VERSION);
        if (Shim.isAvailable()) {
            out.printf("native      %s (ABI %d)%n", Shim.libraryFile().orElseThrow(), Shim.abiVersion());
            out.printf("            from %s%n", Shim.librarySource().orElseThrow());
            out.printf("binding     %s%n", Shim.binding());
            Shim.bindingFallback().ifPresent(reason -> out.printf("            (%s)%n", reason));
        } else {
            out.printf("native      %s%n", Shim.unavailabilityReason().orElseThrow());
        }
        for (Transport transport : Transport.values()) {
            String state = transport.isAvailable() ? "available" : "unavailable (see native)";
            if (transport == Transport.BLOCKING) {
                state += Transport.blockingUsesVirtualThreads() ? ", virtual threads" : ", platform threads";
            }
            out.printf("%-11s %s%n", transport.shortName(), state);
        }
        out.printf("best        %s%n", best.shortName());
        out.flush();
        return 0;
    }
}
