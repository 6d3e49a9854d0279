package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native libraries the build puts in the jar: each a shared object for the machine its directory names. */
class NativeBuildsTest {

    private static final Path AARCH64_CROSS_COMPILER = Path.of("/usr/bin/aarch64-linux-gnu-gcc");

    /** ELF e_machine of each JNA resource prefix the build produces. */
    private static final Map<String, Integer> MACHINES = Map.of("linux-x86-64", 62, "linux-aarch64", 183);

    @Test
    void thisMachinesBuildIsThere() throws IOException {
        assumeTrue(MACHINES.containsKey(Platform.RESOURCE_PREFIX),
                "the build makes no library for " + Platform.RESOURCE_PREFIX);

        assertIsSharedObjectFor(Platform.RESOURCE_PREFIX);
    }

    @Test
    void theAarch64BuildIsThereWheneverItsCompilerIs() throws IOException {
        assumeTrue(Files.isExecutable(AARCH64_CROSS_COMPILER), "no " + AARCH64_CROSS_COMPILER
                + ", so the build leaves linux-aarch64 out (apt-get install gcc-aarch64-linux-gnu)");

        assertIsSharedObjectFor("linux-aarch64");
    }

    private static void assertIsSharedObjectFor(String platform) throws IOException {
        String resource = platform + "/libjepoll.so";
        ByteBuffer header;
        try (InputStream in = NativeBuildsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("%s on the class path", resource).isNotNull();
            header = ByteBuffer.wrap(in.readNBytes(20)).order(ByteOrder.LITTLE_ENDIAN);
        }
        assertThat(header.getInt(0)).as("%s ELF magic", resource).isEqualTo(0x464c457f);
        assertThat(header.get(4)).as("%s ELF class (64-bit)", resource).isEqualTo((byte) 2);
        assertThat(header.get(5)).as("%s byte order (little-endian)", resource).isEqualTo((byte) 1);
        assertThat(header.getShort(16)).as("%s e_type (shared object)", resource).isEqualTo((short) 3);
        assertThat(header.getShort(18)).as("%s e_machine", resource).isEqualTo(MACHINES.get(platform).shortValue());
    }
}
