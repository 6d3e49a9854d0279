package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real loopback TCP through the shim: listen, accept, addresses, bytes, options, errors. */
class SocketsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void acceptsAndMovesBytesExactly(String host) throws Exception {
        assumeTrue(!host.contains(":") || ipv6Loopback(), "no IPv6 loopback on this machine");
        int listener = Sockets.listen(new InetSocketAddress(host, 0), 16, true, false);
        try (Epoll epoll = Epoll.create(4); Memory peer = new Memory(Shim.ADDRESS_SIZE)) {
            InetSocketAddress bound = Sockets.localAddress(listener);
            assertThat(bound.getAddress()).isEqualTo(InetAddress.getByName(host));
            assertThat(bound.getPort()).isPositive();

            int client = Sockets.connect(bound);
            epoll.add(listener, Shim.EPOLLIN, 0);
            assertThat(epoll.poll(2000)).isEqualTo(1);
            int server = Shim.accept(listener, Pointer.nativeValue(peer));
            assertThat(server).isNotNegative();
            try {
                InetSocketAddress clientAddress = Sockets.localAddress(client);
                assertThat(NativeAddress.decode(peer.getByteBuffer(0, Shim.ADDRESS_SIZE).order(ByteOrder.nativeOrder())))
                        .isEqualTo(clientAddress)
                        .isEqualTo(Sockets.peerAddress(server));
                assertThat(Sockets.peerAddress(client)).isEqualTo(bound);

                byte[] sent = new byte[200_000];
                new Random(42).nextBytes(sent);
                byte[] received = transfer(client, server, sent);
                assertThat(received).isEqualTo(sent);

                assertThat(Shim.shutdown(client, Shim.SHUT_WR)).isZero();
                assertThat(readWithin(server, ByteBuffer.allocateDirect(16))).as("end of stream").isZero();
            } finally {
                Sockets.close(client);
                Sockets.close(server);
            }
        } finally {
            Sockets.close(listener);
        }
    }

    @Test
    void writevGathersSegmentsInOrder() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open("127.0.0.1");
                Memory iov = new Memory(3 * 16)) {
            ByteBuffer[] parts = {direct("GET / HTTP/1.1\r\n"), direct("Host: x\r\n"), direct("\r\n")};
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                iov.setLong(16L * i, LoopbackPair.address(parts[i]));
                iov.setLong(16L * i + 8, parts[i].capacity());
                total += parts[i].capacity();
            }
            assertThat(Shim.writev(pair.client, Pointer.nativeValue(iov), 3)).isEqualTo(total);

            ByteBuffer in = ByteBuffer.allocateDirect(64);
            int n = readWithin(pair.server, in);
            byte[] bytes = new byte[n];
            in.get(0, bytes);
            assertThat(new String(bytes)).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Shim.writev(pair.client, Pointer.nativeValue(iov), 0)).isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void acceptBatchTakesEveryPendingConnectionThenStops() throws Exception {
        int listener = Sockets.listen(new InetSocketAddress("127.0.0.1", 0), 16, true, false);
        int[] clients = new int[3];
        try (Memory fds = new Memory(4 * 8); Epoll epoll = Epoll.create(4)) {
            assertThat(Shim.accept(listener, 0)).isEqualTo(-Errno.EAGAIN);
            assertThat(Shim.acceptBatch(listener, Pointer.nativeValue(fds), 8)).isZero();
            for (int i = 0; i < clients.length; i++) {
                clients[i] = Sockets.connect(Sockets.localAddress(listener));
            }
            for (int i = 0; i < clients.length; i++) {
                epoll.add(clients[i], Shim.EPOLLOUT, i);
            }
            int connected = 0;
            for (int attempt = 0; attempt < 100 && connected < 3; attempt++) {
                connected = epoll.poll(20);
            }
            assertThat(connected).as("all three handshakes done").isEqualTo(3);

            int accepted = Shim.acceptBatch(listener, Pointer.nativeValue(fds), 8);
            assertThat(accepted).isEqualTo(3);
            for (int i = 0; i < accepted; i++) {
                assertThat(fds.getInt(4L * i)).isNotNegative();
                Sockets.close(fds.getInt(4L * i));
            }
            assertThat(Shim.acceptBatch(listener, Pointer.nativeValue(fds), 8)).isZero();
        } finally {
            for (int client : clients) {
                Shim.close(client);
            }
            Sockets.close(listener);
        }
    }

    @Test
    void intOptionsRoundTrip() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open("127.0.0.1")) {
            Sockets.setOption(pair.server, Shim.TCP_NODELAY, 1);
            assertThat(Sockets.getOption(pair.server, Shim.TCP_NODELAY)).isNotZero();
            Sockets.setOption(pair.server, Shim.SO_KEEPALIVE, 1);
            assertThat(Sockets.getOption(pair.server, Shim.SO_KEEPALIVE)).isNotZero();
            Sockets.setOption(pair.server, Shim.TCP_KEEPIDLE, 30);
            assertThat(Sockets.getOption(pair.server, Shim.TCP_KEEPIDLE)).isEqualTo(30);
            Sockets.setOption(pair.server, Shim.SO_RCVBUF, 65536);
            assertThat(Sockets.getOption(pair.server, Shim.SO_RCVBUF)).isGreaterThanOrEqualTo(65536);
            Sockets.setOption(pair.server, Shim.SO_LINGER, 0);
            assertThat(Sockets.getOption(pair.server, Shim.SO_LINGER)).isZero();
            Sockets.setOption(pair.server, Shim.SO_LINGER, -1);
            assertThat(Sockets.getOption(pair.server, Shim.SO_LINGER)).isEqualTo(-1);
            assertThat(Sockets.getOption(pair.server, Shim.SO_ERROR)).isZero();
            assertThat(Shim.setsockopt(pair.server, 999, 1)).isEqualTo(-Errno.ENOPROTOOPT);
        }
    }

    @Test
    void refusedConnectIsReportedThroughSoError() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        int fd = Sockets.connect(new InetSocketAddress("127.0.0.1", port));
        try (Epoll epoll = Epoll.create(1)) {
            epoll.add(fd, Shim.EPOLLOUT, 0);
            assertThat(epoll.poll(2000)).isEqualTo(1);
            assertThat(epoll.events(0) & (Shim.EPOLLERR | Shim.EPOLLHUP)).isNotZero();
            assertThat(Sockets.getOption(fd, Shim.SO_ERROR)).isEqualTo(Errno.ECONNREFUSED);
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void aTakenPortFailsWithACallAndAnErrnoName() throws Exception {
        int first = Sockets.listen(new InetSocketAddress("127.0.0.1", 0), 16, false, false);
        try {
            InetSocketAddress taken = Sockets.localAddress(first);
            assertThatThrownBy(() -> Sockets.listen(taken, 16, false, false))
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("bind(fd=")
                    .hasMessageEndingWith(taken + "): EADDRINUSE (Address already in use)")
                    .cause().isInstanceOf(NativeIoException.class);
        } finally {
            Sockets.close(first);
        }
    }

    @Test
    void reusePortLetsTwoListenersShareAPort() throws Exception {
        int first = Sockets.listen(new InetSocketAddress("127.0.0.1", 0), 16, true, true);
        try {
            int second = Sockets.listen(Sockets.localAddress(first), 16, true, true);
            assertThat(Sockets.localAddress(second)).isEqualTo(Sockets.localAddress(first));
            Sockets.close(second);
        } finally {
            Sockets.close(first);
        }
    }

    @Test
    void closingAClosedFdThrowsEbadf() throws Exception {
        int fd = Shim.eventfd();
        Sockets.close(fd);
        assertThatThrownBy(() -> Sockets.close(fd))
                .isInstanceOf(NativeIoException.class)
                .hasMessage("close(fd=" + fd + "): EBADF (Bad file descriptor)");
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes();
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /** Sends {@code sent} from one socket while reading it on the other, without blocking either. */
    private static byte[] transfer(int from, int to, byte[] sent) throws Exception {
        ByteBuffer out = ByteBuffer.allocateDirect(sent.length).put(sent);
        ByteBuffer in = ByteBuffer.allocateDirect(sent.length);
        long outAddress = LoopbackPair.address(out);
        long inAddress = LoopbackPair.address(in);
        int written = 0;
        int read = 0;
        for (int idle = 0; read < sent.length && idle < 2000; ) {
            boolean progress = false;
            if (written < sent.length) {
                int n = Shim.write(from, outAddress + written, sent.length - written);
                assertThat(n == -Errno.EAGAIN || n > 0).as("write returned %d", n).isTrue();
                if (n > 0) {
                    written += n;
                    progress = true;
                }
            }
            int n = Shim.read(to, inAddress + read, sent.length - read);
            assertThat(n == -Errno.EAGAIN || n > 0).as("read returned %d", n).isTrue();
            if (n > 0) {
                read += n;
                progress = true;
            }
            if (!progress) {
                idle++;
                Thread.sleep(1);
            }
        }
        byte[] received = new byte[read];
        in.get(0, received);
        return received;
    }

    /** One read that waits up to 2 s for data or end of stream. */
    private static int readWithin(int fd, ByteBuffer into) throws Exception {
        try (Epoll epoll = Epoll.create(1)) {
            epoll.add(fd, Shim.EPOLLIN | Shim.EPOLLRDHUP, 0);
            assertThat(epoll.poll(2000)).isEqualTo(1);
        }
        int n = Shim.read(fd, LoopbackPair.address(into), into.capacity());
        assertThat(n).isNotNegative();
        return n;
    }

    private static boolean ipv6Loopback() throws Exception {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    }
}
