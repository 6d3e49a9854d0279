package io.jepoll.shim;

/**
 * The JNA binding: direct mapping, which registers {@link Natives}' methods as JNI natives calling
 * the library's functions; the default on every JDK.
 */
final class JnaBinding implements NativeBinding {

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public int abiVersion() {
        return Natives.abiVersion();
    }

    @Override
    public int epollCreate() {
        return Natives.epollCreate();
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, int events, int tag) {
        return Natives.epollCtl(epfd, op, fd, events, tag);
    }

    @Override
    public int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis) {
        return Natives.epollWait(epfd, eventsOut, maxEvents, timeoutMillis);
    }

    @Override
    public int socket(int family) {
        return Natives.socket(family);
    }

    @Override
    public int bind(int fd, long address) {
        return Natives.bind(fd, address);
    }

    @Override
    public int listen(int fd, int backlog) {
        return Natives.listen(fd, backlog);
    }

    @Override
    public int accept(int listenFd, long addressOut) {
        return Natives.accept(listenFd, addressOut);
    }

    @Override
    public int acceptBatch(int listenFd, long fdsOut, int max) {
        return Natives.acceptBatch(listenFd, fdsOut, max);
    }

    @Override
    public int connect(int fd, long address) {
        return Natives.connect(fd, address);
    }

    @Override
    public int unixSocket() {
        return Natives.unixSocket();
    }

    @Override
    public int unixBind(int fd, long path, int len) {
        return Natives.unixBind(fd, path, len);
    }

    @Override
    public int unixConnect(int fd, long path, int len) {
        return Natives.unixConnect(fd, path, len);
    }

    @Override
    public int unixLocalPath(int fd, long pathOut) {
        return Natives.unixLocalPath(fd, pathOut);
    }

    @Override
    public int unixPeerPath(int fd, long pathOut) {
        return Natives.unixPeerPath(fd, pathOut);
    }

    @Override
    public int read(int fd, long buf, int len) {
        return Natives.read(fd, buf, len);
    }

    @Override
    public int write(int fd, long buf, int len) {
        return Natives.write(fd, buf, len);
    }

    @Override
    public int writev(int fd, long iov, int count) {
        return Natives.writev(fd, iov, count);
    }

    @Override
    public int shutdown(int fd, int how) {
        return Natives.shutdown(fd, how);
    }

    @Override
    public int close(int fd) {
        return Natives.close(fd);
    }

    @Override
    public int openFile(long path) {
        return Natives.openFile(path);
    }

    @Override
    public long fileSize(int fd) {
        return Natives.fileSize(fd);
    }

    @Override
    public int pread(int fd, long buf, int len, long offset) {
        return Natives.pread(fd, buf, len, offset);
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        return Natives.sendfile(outFd, inFd, offset, count);
    }

    @Override
    public int eventfd() {
        return Natives.eventfd();
    }

    @Override
    public long eventfdRead(int fd) {
        return Natives.eventfdRead(fd);
    }

    @Override
    public int eventfdWrite(int fd, long value) {
        return Natives.eventfdWrite(fd, value);
    }

    @Override
    public int getsockopt(int fd, int option) {
        return Natives.getsockopt(fd, option);
    }

    @Override
    public int setsockopt(int fd, int option, int value) {
        return Natives.setsockopt(fd, option, value);
    }

    @Override
    public int localAddress(int fd, long addressOut) {
        return Natives.localAddress(fd, addressOut);
    }

    @Override
    public int peerAddress(int fd, long addressOut) {
        return Natives.peerAddress(fd, addressOut);
    }

    @Override
    public String errnoName(int errnum) {
        return Natives.errnoName(errnum);
    }

    @Override
    public String errnoText(int errnum) {
        return Natives.errnoText(errnum);
    }

    /** Registered by {@link ShimLoader} with {@code Native.register}; a method {@code fooBar} calls {@code jepoll_foo_bar}. */
    static final class Natives {

        private Natives() {
        }

        static native int abiVersion();

        static native int epollCreate();

        static native int epollCtl(int epfd, int op, int fd, int events, int tag);

        static native int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis);

        static native int socket(int family);

        static native int bind(int fd, long address);

        static native int listen(int fd, int backlog);

        static native int accept(int listenFd, long addressOut);

        static native int acceptBatch(int listenFd, long fdsOut, int max);

        static native int connect(int fd, long address);

        static native int unixSocket();

        static native int unixBind(int fd, long path, int len);

        static native int unixConnect(int fd, long path, int len);

        static native int unixLocalPath(int fd, long pathOut);

        static native int unixPeerPath(int fd, long pathOut);

        static native int read(int fd, long buf, int len);

        static native int write(int fd, long buf, int len);

        static native int writev(int fd, long iov, int count);

        static native int shutdown(int fd, int how);

        static native int close(int fd);

        static native int openFile(long path);

        static native long fileSize(int fd);

        static native int pread(int fd, long buf, int len, long offset);

        static native long sendfile(int outFd, int inFd, long offset, long count);

        static native int eventfd();

        static native long eventfdRead(int fd);

        static native int eventfdWrite(int fd, long value);

        static native int getsockopt(int fd, int option);

        static native int setsockopt(int fd, int option, int value);

        static native int localAddress(int fd, long addressOut);

        static native int peerAddress(int fd, long addressOut);

        static native String errnoName(int errnum);

        static native String errnoText(int errnum);
    }
}
