package io.jepoll.shim;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Two connected non-blocking TCP sockets on loopback, made and accepted through the shim. */
final class LoopbackPair implements AutoCloseable {

    final int client;
    final int server;

    private LoopbackPair(int client, int server) {
        this.client = client;
        this.server = server;
    }

    static LoopbackPair open(String host) throws Exception {
        int listener = Sockets.listen(new InetSocketAddress(host, 0), 16, true, false);
        try (Epoll epoll = Epoll.create(4)) {
            int client = Sockets.connect(Sockets.localAddress(listener));
            epoll.add(listener, Shim.EPOLLIN, 0);
            if (epoll.poll(2000) != 1) {
                throw new AssertionError("no connection to accept within 2 s");
            }
            int server = Shim.accept(listener, 0);
            if (server < 0) {
                throw new NativeIoException("accept", server);
            }
            return new LoopbackPair(client, server);
        } finally {
            Sockets.close(listener);
        }
    }

    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /** Writes all of {@code bytes} from {@code fd}, which must fit the socket buffers. */
    static void writeFully(int fd, byte[] bytes) throws NativeIoException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes);
        int n = Shim.write(fd, address(buffer), bytes.length);
        if (n < 0) {
            throw new NativeIoException("write", n);
        }
        if (n != bytes.length) {
            throw new AssertionError("short write " + n);
        }
    }

    @Override
    public void close() {
        Shim.close(client);
        Shim.close(server);
    }
}
