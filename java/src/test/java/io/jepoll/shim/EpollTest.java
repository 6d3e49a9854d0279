package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel behaviour the loops rely on, seen through the Java binding. */
class EpollTest {

    private Epoll epoll;
    private LoopbackPair pair;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final long bufferAddress = LoopbackPair.address(buffer);

    @BeforeEach
    void open() throws Exception {
        Shim.requireAvailable();
        epoll = Epoll.create(16);
        pair = LoopbackPair.open("127.0.0.1");
    }

    @AfterEach
    void close() throws Exception {
        pair.close();
        epoll.close();
    }

    @Test
    void levelTriggeredReportsUndrainedDataAgain() throws Exception {
        epoll.add(pair.server, Shim.EPOLLIN | Shim.EPOLLRDHUP, 7);
        LoopbackPair.writeFully(pair.client, "hello".getBytes());

        assertThat(epoll.poll(2000)).isEqualTo(1);
        assertThat(epoll.events(0) & Shim.EPOLLIN).isNotZero();
        assertThat(Shim.read(pair.server, bufferAddress, 2)).isEqualTo(2);

        assertThat(epoll.poll(0)).as("3 bytes still unread").isEqualTo(1);
        assertThat(Shim.read(pair.server, bufferAddress, 64)).isEqualTo(3);
        assertThat(Shim.read(pair.server, bufferAddress, 64)).isEqualTo(-Errno.EAGAIN);
        assertThat(epoll.poll(0)).as("drained").isZero();
    }

    @Test
    void edgeTriggeredReportsOnlyNewData() throws Exception {
        epoll.add(pair.server, Shim.EPOLLIN | Shim.EPOLLRDHUP | Shim.EPOLLET, 7);
        LoopbackPair.writeFully(pair.client, "hello".getBytes());

        assertThat(epoll.poll(2000)).isEqualTo(1);
        assertThat(Shim.read(pair.server, bufferAddress, 2)).isEqualTo(2);
        assertThat(epoll.poll(0)).as("undrained, but no new edge").isZero();

        LoopbackPair.writeFully(pair.client, "!".getBytes());
        assertThat(epoll.poll(2000)).as("new data is a new edge").isEqualTo(1);
        assertThat(Shim.read(pair.server, bufferAddress, 64)).isEqualTo(4);
        buffer.clear().limit(4);
        byte[] rest = new byte[4];
        buffer.get(rest);
        assertThat(new String(rest)).isEqualTo("llo!");
    }

    @Test
    void peerShutdownReportsRdhupThenEndOfStream() throws Exception {
        epoll.add(pair.server, Shim.EPOLLIN | Shim.EPOLLRDHUP | Shim.EPOLLET, 1);
        assertThat(Shim.shutdown(pair.client, Shim.SHUT_WR)).isZero();

        assertThat(epoll.poll(2000)).isEqualTo(1);
        assertThat(epoll.events(0) & (Shim.EPOLLIN | Shim.EPOLLRDHUP)).isEqualTo(Shim.EPOLLIN | Shim.EPOLLRDHUP);
        assertThat(epoll.events(0) & Shim.EPOLLHUP).as("only half closed").isZero();
        assertThat(Shim.read(pair.server, bufferAddress, 64)).isZero();
    }

    @Test
    void edgeTriggeredWritabilityReturnsAfterThePeerDrains() throws Exception {
        Sockets.setOption(pair.server, Shim.SO_SNDBUF, 4096);
        epoll.add(pair.server, Shim.EPOLLOUT | Shim.EPOLLET, 3);
        assertThat(epoll.poll(2000)).isEqualTo(1);
        assertThat(epoll.events(0) & Shim.EPOLLOUT).isNotZero();

        int written = 0;
        int n;
        while ((n = Shim.write(pair.server, bufferAddress, buffer.capacity())) > 0) {
            written += n;
        }
        assertThat(n).isEqualTo(-Errno.EAGAIN);
        epoll.poll(0);

        int read = 0;
        for (int idle = 0; read < written && idle < 2000; ) {
            int r = Shim.read(pair.client, bufferAddress, buffer.capacity());
            if (r > 0) {
                read += r;
            } else {
                assertThat(r).isEqualTo(-Errno.EAGAIN);
                idle++;
                Thread.sleep(1);
            }
        }
        assertThat(read).isEqualTo(written);
        assertThat(epoll.poll(2000)).as("drained: writable again").isEqualTo(1);
        assertThat(epoll.events(0) & Shim.EPOLLOUT).isNotZero();
    }

    @Test
    void eventsCarryFdAndTagBack() throws Exception {
        int eventfd = Shim.eventfd();
        try {
            epoll.add(pair.server, Shim.EPOLLIN, -123456789);
            epoll.add(eventfd, Shim.EPOLLIN, Integer.MAX_VALUE);
            LoopbackPair.writeFully(pair.client, new byte[] {1});
            assertThat(Shim.eventfdWrite(eventfd, 1)).isZero();

            int n = 0;
            for (int attempt = 0; attempt < 100 && n < 2; attempt++) {
                n = epoll.poll(20);
            }
            assertThat(n).isEqualTo(2);
            assertThat(Map.of(epoll.fd(0), epoll.tag(0), epoll.fd(1), epoll.tag(1)))
                    .containsEntry(pair.server, -123456789)
                    .containsEntry(eventfd, Integer.MAX_VALUE);
        } finally {
            Shim.close(eventfd);
        }
    }

    @Test
    void eventfdCountsWakeUps() {
        int eventfd = Shim.eventfd();
        try {
            assertThat(Shim.eventfdRead(eventfd)).isEqualTo(-Errno.EAGAIN);
            assertThat(Shim.eventfdWrite(eventfd, 1)).isZero();
            assertThat(Shim.eventfdWrite(eventfd, 2)).isZero();
            assertThat(Shim.eventfdRead(eventfd)).isEqualTo(3);
            assertThat(Shim.eventfdRead(eventfd)).isEqualTo(-Errno.EAGAIN);
        } finally {
            Shim.close(eventfd);
        }
    }

    @Test
    void controlErrorsNameTheCallTheFdAndTheErrno() throws Exception {
        epoll.add(pair.server, Shim.EPOLLIN, 0);
        assertThatThrownBy(() -> epoll.add(pair.server, Shim.EPOLLIN, 0))
                .isInstanceOf(NativeIoException.class)
                .hasMessage("epoll_ctl(ADD, fd=" + pair.server + "): EEXIST (File exists)")
                .satisfies(e -> assertThat(((NativeIoException) e).errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> epoll.modify(pair.client, Shim.EPOLLIN, 0))
                .hasMessageContaining("ENOENT");
        epoll.delete(pair.server);
        assertThatThrownBy(() -> epoll.delete(pair.server)).hasMessageContaining("ENOENT");

        int eventfd = Shim.eventfd();
        Sockets.close(eventfd);
        assertThatThrownBy(() -> epoll.add(eventfd, Shim.EPOLLIN, 0))
                .hasMessage("epoll_ctl(ADD, fd=" + eventfd + "): EBADF (Bad file descriptor)");
    }

    /** Its fd number is reused at once by the next fd opened: a late registration must not land there. */
    @Test
    void aClosedEpollRefusesRegistrationsInsteadOfReachingTheSetThatReusedItsNumber() throws Exception {
        Epoll closed = Epoll.create(16);
        closed.close();
        try (Epoll reusing = Epoll.create(16)) {
            assertThat(reusing.fd()).as("the kernel hands out the lowest free number").isEqualTo(closed.fd());
            LoopbackPair.writeFully(pair.client, new byte[] {1});

            assertThatThrownBy(() -> closed.add(pair.server, Shim.EPOLLIN, 0))
                    .isInstanceOf(NativeIoException.class)
                    .satisfies(e -> assertThat(((NativeIoException) e).errno()).isEqualTo(Errno.EBADF));
            assertThat(reusing.poll(0)).as("events in the set that reused the number").isZero();
        }
    }

    @Test
    void pollRejectsABadCapacity() {
        assertThatThrownBy(() -> Epoll.create(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Epoll.create(Shim.MAX_EVENTS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Shim.epollWait(epoll.fd(), 0, Shim.MAX_EVENTS + 1, 0)).isEqualTo(-Errno.EINVAL);
    }
}
