package io.jepoll.benchmarks;

import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Connected loopback TCP sockets as raw fds, for benchmarks that call the shim directly:
 * {@code near[i]} is the accepted end a server would read, {@code far[i]} the peer.
 */
final class SocketPairs implements AutoCloseable {

    final int[] near;
    final int[] far;

    SocketPairs(int count) throws IOException {
        near = new int[count];
        far = new int[count];
        int listener = Sockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), count, true, false);
        try {
            InetSocketAddress address = Sockets.localAddress(listener);
            for (int i = 0; i < count; i++) {
                far[i] = Sockets.connect(address);
                near[i] = acceptOne(listener);
            }
        } finally {
            Shim.close(listener);
        }
    }

    /** The listener is non-blocking and the loopback handshake completes in microseconds. */
    private static int acceptOne(int listener) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            int fd = Shim.accept(listener, 0);
            if (fd >= 0) {
                return fd;
            }
            if (System.nanoTime() > deadline) {
                throw new NativeIoException("accept(fd=" + listener + ")", fd);
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < near.length; i++) {
            Shim.close(near[i]);
            Shim.close(far[i]);
        }
    }
}
