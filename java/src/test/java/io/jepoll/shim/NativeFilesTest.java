package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Regular files through the shim: open, size, positional reads, and sendfile over real loopback TCP. */
@Timeout(30)
class NativeFilesTest {

    @TempDir
    Path directory;

    @Test
    void sendfileSendsTheRegionAskedForAndLeavesThePositionToTheCaller() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path path = Files.write(directory.resolve("content"), content);
        int file = NativeFiles.open(path);
        try (LoopbackPair pair = LoopbackPair.open("127.0.0.1")) {
            assertThat(NativeFiles.size(file)).isEqualTo(content.length);

            assertThat(NativeFiles.sendfile(pair.server, file, 1000, 20_000)).isEqualTo(20_000);
            assertThat(NativeFiles.sendfile(pair.server, file, 0, 10)).as("from the start again: no file position moved")
                    .isEqualTo(10);
            assertThat(NativeFiles.sendfile(pair.server, file, content.length, 10)).as("at the end").isZero();

            byte[] received = readExactly(pair.client, 20_010);
            assertThat(Arrays.copyOfRange(received, 0, 20_000)).isEqualTo(Arrays.copyOfRange(content, 1000, 21_000));
            assertThat(Arrays.copyOfRange(received, 20_000, 20_010)).isEqualTo(Arrays.copyOfRange(content, 0, 10));
        } finally {
            Sockets.close(file);
        }
    }

    @Test
    void sendfileFromABadFdIsANativeIoExceptionNamingTheCall() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open("127.0.0.1")) {
            assertThatThrownBy(() -> NativeFiles.sendfile(pair.server, -1, 0, 10))
                    .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF))
                    .hasMessage("sendfile(socket fd=" + pair.server + ", file fd=-1, offset=0, count=10): EBADF (Bad file descriptor)");
        }
    }

    @Test
    void aFullSocketIsWouldBlockNotAnError() throws Exception {
        Path path = Files.write(directory.resolve("large"), new byte[16 << 20]);
        int file = NativeFiles.open(path);
        try (LoopbackPair pair = LoopbackPair.open("127.0.0.1")) {
            Sockets.setOption(pair.server, Shim.SO_SNDBUF, 16384);
            long offset = 0;
            long n = 0;
            for (int i = 0; i < 1000 && n != NativeFiles.WOULD_BLOCK; i++) {
                n = NativeFiles.sendfile(pair.server, file, offset, (16 << 20) - offset);
                offset += Math.max(n, 0);
            }
            assertThat(n).isEqualTo(NativeFiles.WOULD_BLOCK);
            assertThat(offset).isPositive().isLessThan(16 << 20);
        } finally {
            Sockets.close(file);
        }
    }

    @Test
    void readIsPositional() throws Exception {
        Path path = Files.write(directory.resolve("text"), "0123456789".getBytes());
        int file = NativeFiles.open(path);
        try (Memory buffer = new Memory(16)) {
            assertThat(NativeFiles.read(file, Pointer.nativeValue(buffer), 4, 3)).isEqualTo(4);
            assertThat(new String(buffer.getByteArray(0, 4))).isEqualTo("3456");
            assertThat(NativeFiles.read(file, Pointer.nativeValue(buffer), 16, 10)).as("at the end").isZero();
        } finally {
            Sockets.close(file);
        }
    }

    @Test
    void aDirectoryOpensButHasNoSize() throws Exception {
        int fd = NativeFiles.open(directory);
        try {
            assertThatThrownBy(() -> NativeFiles.size(fd))
                    .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EISDIR));
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void aMissingFileNamesThePath() {
        Path missing = directory.resolve("missing");
        assertThatThrownBy(() -> NativeFiles.open(missing))
                .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessageStartingWith("open(" + missing + "): ENOENT");
    }

    private static byte[] readExactly(int fd, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        long address = LoopbackPair.address(buffer);
        int total = 0;
        try (Epoll epoll = Epoll.create(1)) {
            epoll.add(fd, Shim.EPOLLIN, 0);
            while (total < length) {
                assertThat(epoll.poll(2000)).as("readable within 2 s").isEqualTo(1);
                int n = Shim.read(fd, address + total, length - total);
                if (n == -Errno.EAGAIN) {
                    continue;
                }
                assertThat(n).isPositive();
                total += n;
            }
        }
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }
}
