package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain sockets through the shim, on whichever binding this run uses: bind, connect, accept, names, bytes, errors. */
class UnixSocketsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void nativeLibrary() {
        assumeTrue(Shim.isAvailable(), "libjepoll not loaded here");
    }

    @Test
    void connectsAcceptsAndReportsEachSidesName() throws Exception {
        Path path = dir.resolve("s.sock");
        int listener = Sockets.unixSocket();
        try (Epoll epoll = Epoll.create(4); Memory peer = new Memory(Shim.ADDRESS_SIZE)) {
            Sockets.bindUnix(listener, path);
            Sockets.listen(listener, 16);
            assertThat(Sockets.unixLocalAddress(listener)).isEqualTo(UnixDomainSocketAddress.of(path));

            int client = Sockets.connectUnix(path);
            epoll.add(listener, Shim.EPOLLIN, 0);
            assertThat(epoll.poll(2000)).isEqualTo(1);
            int server = Shim.accept(listener, Pointer.nativeValue(peer));
            assertThat(server).isNotNegative();
            try {
                assertThat(peer.getInt(0)).as("an accepted Unix socket's family in the TCP address record").isZero();
                assertThat(Sockets.unixPeerAddress(client)).isEqualTo(UnixDomainSocketAddress.of(path));
                assertThat(Sockets.unixLocalAddress(server)).isEqualTo(UnixDomainSocketAddress.of(path));
                assertThat(Sockets.unixLocalAddress(client)).as("a client binds no name").isEqualTo(UnixDomainSocketAddress.of(""));
                assertThat(Sockets.unixPeerAddress(server)).isEqualTo(UnixDomainSocketAddress.of(""));

                byte[] sent = "bytes over a socket file".getBytes();
                ByteBuffer out = ByteBuffer.allocateDirect(sent.length).put(sent).flip();
                assertThat(Shim.write(client, address(out), sent.length)).isEqualTo(sent.length);
                ByteBuffer in = ByteBuffer.allocateDirect(64);
                epoll.add(server, Shim.EPOLLIN, 1);
                assertThat(epoll.poll(2000)).isEqualTo(1);
                int n = Shim.read(server, address(in), in.capacity());
                byte[] received = new byte[Math.max(0, n)];
                in.get(0, received);
                assertThat(received).isEqualTo(sent);
            } finally {
                Sockets.close(client);
                Sockets.close(server);
            }
        } finally {
            Sockets.close(listener);
        }
    }

    @Test
    void aJdkClientConnectsToAShimListener() throws Exception {
        Path path = dir.resolve("j.sock");
        int listener = Sockets.unixSocket();
        try {
            Sockets.bindUnix(listener, path);
            Sockets.listen(listener, 16);
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertThat(client.getRemoteAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
            }
        } finally {
            Sockets.close(listener);
        }
    }

    @Test
    void aStaleFileRefusesAndATakenPathFailsTheBindNamingIt() throws Exception {
        Path path = dir.resolve("stale.sock");
        int dead = Sockets.unixSocket();
        Sockets.bindUnix(dead, path);
        Sockets.listen(dead, 16);
        Sockets.close(dead);

        assertThatThrownBy(() -> Sockets.connectUnix(path)).isInstanceOf(NativeIoException.class)
                .hasMessageContaining("ECONNREFUSED").hasMessageContaining(path.toString());
        int again = Sockets.unixSocket();
        try {
            assertThatThrownBy(() -> Sockets.bindUnix(again, path)).isInstanceOf(BindException.class)
                    .hasMessageContaining("EADDRINUSE").hasMessageContaining(path.toString());
        } finally {
            Sockets.close(again);
        }
        assertThatThrownBy(() -> Sockets.connectUnix(dir.resolve("none.sock"))).hasMessageContaining("ENOENT");
    }

    @Test
    void aFullBacklogFailsTheConnectAtOnceWithEagain() throws Exception {
        Path path = dir.resolve("full.sock");
        int listener = Sockets.unixSocket();
        int[] clients = new int[64];
        int made = 0;
        try {
            Sockets.bindUnix(listener, path);
            Sockets.listen(listener, 1);
            NativeIoException failure = null;
            while (made < clients.length && failure == null) {
                try {
                    clients[made++] = Sockets.connectUnix(path);
                } catch (NativeIoException e) {
                    made--;
                    failure = e;
                }
            }
            assertThat(failure).as("a connect past the backlog").isNotNull();
            assertThat(failure.getMessage()).contains("EAGAIN").contains("backlog is full");
        } finally {
            for (int fd : Arrays.copyOf(clients, made)) {
                Sockets.close(fd);
            }
            Sockets.close(listener);
        }
    }

    @Test
    void tcpOptionsDoNotApplyToAUnixSocket() throws Exception {
        int fd = Sockets.unixSocket();
        try {
            assertThatThrownBy(() -> Sockets.setOption(fd, Shim.TCP_NODELAY, 1)).isInstanceOf(NativeIoException.class)
                    .hasMessageContaining("TCP_NODELAY");
            Sockets.setOption(fd, Shim.SO_SNDBUF, 1 << 16);
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void aPathLongerThanASocketAddressHoldsIsRefusedWithItsLength() throws Exception {
        Path path = dir.resolve("x".repeat(120));
        int fd = Sockets.unixSocket();
        try {
            assertThatThrownBy(() -> Sockets.bindUnix(fd, path)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unix socket path too long")
                    .hasMessageContaining("at most 107")
                    .hasMessageContaining(path.toString());
        } finally {
            Sockets.close(fd);
        }
        assertThat(Files.exists(path)).isFalse();
    }

    private static long address(ByteBuffer direct) {
        return Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(direct));
    }
}
