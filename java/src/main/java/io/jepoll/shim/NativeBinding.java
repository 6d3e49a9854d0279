package io.jepoll.shim;

/**
 * One way of calling {@code native/jepoll.h}: the functions of the header, one method each, with
 * the header's types ({@code int64_t} addresses as {@code long}). {@link Shim} calls the binding
 * it chose through a constant, so the JIT sees one implementation and inlines it.
 */
interface NativeBinding {

    /** How {@code info} and the loops' stats name it: {@code jna} or {@code ffm}. */
    String name();

    int abiVersion();

    int epollCreate();

    int epollCtl(int epfd, int op, int fd, int events, int tag);

    int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis);

    int socket(int family);

    int bind(int fd, long address);

    int listen(int fd, int backlog);

    int accept(int listenFd, long addressOut);

    int acceptBatch(int listenFd, long fdsOut, int max);

    int connect(int fd, long address);

    int unixSocket();

    int unixBind(int fd, long path, int len);

    int unixConnect(int fd, long path, int len);

    int unixLocalPath(int fd, long pathOut);

    int unixPeerPath(int fd, long pathOut);

    int read(int fd, long buf, int len);

    int write(int fd, long buf, int len);

    int writev(int fd, long iov, int count);

    int shutdown(int fd, int how);

    int close(int fd);

    int openFile(long path);

    long fileSize(int fd);

    int pread(int fd, long buf, int len, long offset);

    long sendfile(int outFd, int inFd, long offset, long count);

    int eventfd();

    long eventfdRead(int fd);

    int eventfdWrite(int fd, long value);

    int getsockopt(int fd, int option);

    int setsockopt(int fd, int option, int value);

    int localAddress(int fd, long addressOut);

    int peerAddress(int fd, long addressOut);

    String errnoName(int errnum);

    String errnoText(int errnum);
}
