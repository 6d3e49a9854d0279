package io.jepoll.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example's {@code main} in a JVM of its own, started as its README says: {@code java
 * --enable-native-access=ALL-UNNAMED -cp ... <class> <args>}.
 */
public final class ExampleProcess implements AutoCloseable {

    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:([0-9]+)");

    private final Process process;
    private final BufferedReader out;
    private final CompletableFuture<String> err;

    private ExampleProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        });
    }

    public static ExampleProcess start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return new ExampleProcess(new ProcessBuilder(command).start());
    }

    /** The first line the program prints (null when it printed none before exiting). */
    public String firstLine() throws IOException {
        return out.readLine();
    }

    /** The port in a line such as {@code ... listening on 127.0.0.1:40123 ...}. */
    public static int portIn(String line) {
        Matcher matcher = ADDRESS.matcher(String.valueOf(line));
        if (!matcher.find()) {
            throw new AssertionError("no 127.0.0.1:<port> in " + line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** SIGTERM, as Ctrl-C or a service manager would send; true when the program then ended within 10 s. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit status, waiting at most 30 s for it; -1 when the program is still running. */
    public int exitStatus() throws InterruptedException {
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Everything the program wrote to stderr; call once it has ended. */
    public String errors() throws Exception {
        return err.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
