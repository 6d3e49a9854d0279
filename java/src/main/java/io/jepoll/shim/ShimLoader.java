package io.jepoll.shim;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds libjepoll and binds {@link Shim} to it: through JNA's direct mapping, or through FFM
 * when {@code -Djepoll.binding=ffm} asks for it and the JDK has it.
 *
 * <p>The copy inside jepoll's own jar is loaded by absolute path: JNA's usual search looks in
 * system directories before the class path, so a stale system copy would otherwise win.
 */
final class ShimLoader {

    /** System property naming a libjepoll.so to load instead of the jar's copy. */
    static final String LIBRARY_PATH_PROPERTY = "jepoll.library.path";

    /** System property choosing the binding: {@code jna} (the default) or {@code ffm}. */
    static final String BINDING_PROPERTY = "jepoll.binding";

    private static final String PREFIX = "jepoll_";

    private static final System.Logger LOG = System.getLogger(ShimLoader.class.getName());

    /**
     * A loaded library file, where it came from and the binding to it, or the one-line reason why there
     * is none (its binding then throws {@link UnsatisfiedLinkError} on every call); with the reason
     * why the binding asked for was not used, when it was not.
     */
    record Outcome(Optional<Path> library, Optional<String> source, Optional<String> failure, NativeBinding binding,
            Optional<String> bindingFallback) {
        static Outcome loaded(Path file, String source, NativeBinding binding, Optional<String> bindingFallback) {
            return new Outcome(Optional.of(file), Optional.of(source), Optional.empty(), binding, bindingFallback);
        }

        static Outcome failed(String reason) {
            return new Outcome(Optional.empty(), Optional.empty(), Optional.of("libjepoll not loaded: " + reason),
                    new JnaBinding(), Optional.empty());
        }
    }

    private ShimLoader() {
    }

    static Outcome load() {
        try {
            return find();
        } catch (LinkageError e) {
            Throwable denied = nativeAccessDenied(e);
            if (denied != null) {
                return Outcome.failed("the JVM denies JNA native access (" + firstLine(denied.getMessage())
                        + "); run java with --enable-native-access=ALL-UNNAMED, or with"
                        + " --enable-native-access=com.sun.jna when JNA is on the module path");
            }
            return Outcome.failed("JNA itself could not start: " + firstLine(e.getMessage())
                    + "; check that jna.tmpdir (or the user cache) is writable and not mounted noexec");
        }
    }

    /**
     * JDK 24+ run with {@code --illegal-native-access=deny} refuses JNA's own loading with an
     * IllegalCallerException, which surfaces as a failed class initialisation: the first time
     * as its cause, later only in the message of the NoClassDefFoundError.
     */
    private static Throwable nativeAccessDenied(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalCallerException
                    || cause.getMessage() != null && cause.getMessage().contains("Illegal native access")) {
                return cause;
            }
        }
        return null;
    }

    private static Outcome find() {
        if (!Platform.isLinux()) {
            return Outcome.failed("epoll needs Linux, this is " + System.getProperty("os.name")
                    + "; the java.nio transport works here");
        }
        String override = System.getProperty(LIBRARY_PATH_PROPERTY);
        Path file;
        String source;
        if (override != null) {
            source = "-D" + LIBRARY_PATH_PROPERTY;
            file = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                return Outcome.failed(LIBRARY_PATH_PROPERTY + "=" + override
                        + " is not a file; point it at a libjepoll.so, or unset it to use the jar's copy");
            }
        } else {
            HostPlatform host = HostPlatform.current();
            ClassLoader loader = Shim.class.getClassLoader();
            Optional<String> noBuild = whyNoBuildFits(host, loader);
            if (noBuild.isPresent()) {
                return Outcome.failed(noBuild.get());
            }
            String resource = host.libraryResource();
            source = loader.getResource(resource).toString();
            try {
                file = extract(resource, loader);
            } catch (IOException e) {
                return Outcome.failed("could not extract " + resource + " from the class path: " + e.getMessage()
                        + "; set -Djna.tmpdir to a writable directory, or -D" + LIBRARY_PATH_PROPERTY);
            }
        }
        return register(file, source);
    }

    /** Why none of the builds on the class path fits host, naming it; empty when one does. */
    static Optional<String> whyNoBuildFits(HostPlatform host, ClassLoader loader) {
        String why;
        if (host.isMusl()) {
            why = "the jar's libjepoll.so builds need glibc";
        } else if (loader.getResource(host.libraryResource()) == null) {
            why = "the class path has no " + host.libraryResource();
        } else {
            return Optional.empty();
        }
        return Optional.of("no build for " + host + ": " + why + "; the java.nio transport works here, or build"
                + " libjepoll.so on this machine (see the README) and set -D" + LIBRARY_PATH_PROPERTY
                + "=/path/to/libjepoll.so");
    }

    /** What this JVM runs on, in the terms a native build is chosen by. */
    record HostPlatform(String resourcePrefix, String osArch, String libc) {
        static final String GLIBC = "glibc";
        static final String MUSL = "musl libc";
        static final String UNKNOWN_LIBC = "libc unknown";

        static HostPlatform current() {
            return new HostPlatform(Platform.RESOURCE_PREFIX, System.getProperty("os.arch"), currentLibc());
        }

        /** Where a build for this platform sits in the jar: JNA's resource prefix for it. */
        String libraryResource() {
            return resourcePrefix + "/" + System.mapLibraryName("jepoll");
        }

        boolean isMusl() {
            return libc.equals(MUSL);
        }

        /** JNA names musl systems like glibc ones, so the process's own dynamic loader tells them apart. */
        private static String currentLibc() {
            try {
                return libcOf(Files.readAllLines(Path.of("/proc/self/maps")));
            } catch (IOException e) {
                return UNKNOWN_LIBC;
            }
        }

        /** The libc a process runs on, from the lines of its /proc/self/maps. */
        static String libcOf(List<String> mappings) {
            if (mappings.stream().anyMatch(mapping -> mapping.contains("/ld-musl-"))) {
                return MUSL;
            }
            if (mappings.stream().anyMatch(mapping -> mapping.contains("/libc.so.6"))) {
                return GLIBC;
            }
            return UNKNOWN_LIBC;
        }

        @Override
        public String toString() {
            return resourcePrefix + " (os.arch " + osArch + ", " + libc + ")";
        }
    }

    private static Path extract(String resource, ClassLoader loader) throws IOException {
        File file = Native.extractFromResourcePath("/" + resource, loader);
        return file.toPath().toAbsolutePath();
    }

    private static Outcome register(Path file, String source) {
        String requested = System.getProperty(BINDING_PROPERTY, "jna");
        Optional<String> fallback = Optional.empty();
        if (requested.equals("ffm")) {
            try {
                return checked(file, source, FfmBinding.load(file), fallback);
            } catch (UnsupportedOperationException | IllegalCallerException | IllegalArgumentException
                    | LinkageError e) {
                fallback = Optional.of("-D" + BINDING_PROPERTY + "=ffm not used, JNA instead: " + firstLine(e.getMessage()));
            }
        } else if (!requested.equals("jna")) {
            fallback = Optional.of("-D" + BINDING_PROPERTY + "=" + requested + " is neither jna nor ffm; JNA instead");
        }
        fallback.ifPresent(reason -> LOG.log(System.Logger.Level.WARNING, reason));
        try {
            NativeLibrary library = NativeLibrary.getInstance(file.toString(),
                    Map.of(Library.OPTION_FUNCTION_MAPPER, (FunctionMapper) (lib, method) ->
                            PREFIX + snakeCase(method.getName())));
            Native.register(JnaBinding.Natives.class, library);
        } catch (LinkageError e) {
            return Outcome.failed("could not load " + file + ": " + firstLine(e.getMessage())
                    + "; is it a libjepoll.so built for " + HostPlatform.current() + "?");
        }
        Outcome outcome = checked(file, source, new JnaBinding(), fallback);
        if (outcome.failure().isPresent()) {
            Native.unregister(JnaBinding.Natives.class);
        }
        return outcome;
    }

    /** The outcome of binding file: loaded, unless it is a stale copy with another ABI version. */
    private static Outcome checked(Path file, String source, NativeBinding binding, Optional<String> fallback) {
        int found = binding.abiVersion();
        if (found != Shim.ABI_VERSION) {
            return Outcome.failed(file + " has ABI version " + found + " but this jepoll needs " + Shim.ABI_VERSION
                    + "; it is a stale copy: rebuild it, or unset -D" + LIBRARY_PATH_PROPERTY);
        }
        return Outcome.loaded(file, source, binding, fallback);
    }

    static String snakeCase(String camelCase) {
        StringBuilder out = new StringBuilder(camelCase.length() + 4);
        for (char c : camelCase.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
