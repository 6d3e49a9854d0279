package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** The files the static benchmark serves, by their paths in {@link Plan#STATIC_PATHS}. */
final class StaticFiles {

    static final Map<String, Integer> SIZES = Map.of("/4k.bin", 4096, "/1m.bin", 1 << 20);

    private StaticFiles() {
    }

    /**
     * Writes them into {@code dir}, random bytes (nothing on the way can shrink them), readable by
     * every user: nginx's worker runs as another user than its master.
     *
     * @return {@code dir}
     */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(13);
        for (Map.Entry<String, Integer> file : SIZES.entrySet()) {
            byte[] bytes = new byte[file.getValue()];
            random.nextBytes(bytes);
            Path written = Files.write(dir.resolve(file.getKey().substring(1)), bytes);
            written.toFile().setReadable(true, false);
        }
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        return dir;
    }
}
