package io.jepoll.loop;

import io.jepoll.shim.NativeAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file of a listening Unix socket, the same on every transport: what is at the path before
 * the bind (nothing; a stale socket file, removed; a live socket or anything else, refused),
 * the bind with the permissions asked for and never more open meanwhile, and the file's removal
 * when the listener closes.
 */
final class UnixSocketFile {

    /** {@code S_IFMT} and {@code S_IFSOCK} of stat(2)'s mode. */
    private static final int FILE_TYPE = 0170000;
    private static final int SOCKET_TYPE = 0140000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int PRIVATE_DIRECTORY_ATTEMPTS = 16;

    /** Binds a transport's socket to a path, which creates the socket file there. */
    @FunctionalInterface
    interface Binder {
        void bind(Path path) throws IOException;
    }

    private final UnixDomainSocketAddress address;
    private final Path path;
    private final Set<PosixFilePermission> permissions;
    private Object boundFile;

    /**
     * @param permissions the socket file's permissions, or null to leave them to the umask
     * @throws IllegalArgumentException when the path cannot be a socket's address (too long, empty)
     */
    UnixSocketFile(UnixDomainSocketAddress address, Set<PosixFilePermission> permissions) {
        this.address = Objects.requireNonNull(address, "address");
        this.path = address.getPath();
        this.permissions = permissions == null ? null : Set.copyOf(permissions);
        NativeAddress.unixPath(path);
    }

    UnixDomainSocketAddress address() {
        return address;
    }

    /**
     * Clears a stale socket file from the path, then binds through {@code binder}: straight at
     * the path without permissions asked for, else in a private directory beside it (see
     * {@link #bindPrivately}).
     *
     * @throws BindException when something else is at the path, or a server listens on it
     */
    void bind(Binder binder) throws IOException {
        clearStale();
        if (permissions == null) {
            binder.bind(path);
        } else {
            bindPrivately(binder);
        }
        boundFile = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Removes the socket file if it is still the one {@link #bind} made (another server may have
     * replaced it since, once this one was seen gone). Never throws: a listener is closing.
     */
    void release() {
        if (boundFile == null) {
            return;
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (boundFile.equals(now)) {
                Files.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // Removed by someone else: nothing to do.
        } catch (IOException | RuntimeException e) {
            EventLoop.log(System.Logger.Level.WARNING, "could not remove the socket file " + path, e);
        }
        boundFile = null;
    }

    /**
     * A socket file that refuses connections belongs to a server that died without removing it:
     * it goes. Anything else at the path stays, and the bind is refused: a live socket (a server
     * accepts, or its backlog is full), a socket whose state a connect cannot tell, and every
     * file that is not a socket.
     */
    private void clearStale() throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            if (Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            throw new BindException(path + " exists and its file type cannot be read here: not removed");
        }
        if ((mode & FILE_TYPE) != SOCKET_TYPE) {
            throw new BindException(path + " exists and is not a socket: not removed");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(address);
        } catch (ConnectException refused) {
            Files.deleteIfExists(path);
            EventLoop.log(System.Logger.Level.INFO, "removed the stale socket file {0}: {1}", path, refused.getMessage());
            return;
        } catch (IOException e) {
            throw new BindException(path + " is in use: connecting to it failed with \"" + e.getMessage()
                    + "\", not refused");
        }
        throw new BindException(path + " is in use: a server accepts connections on it");
    }

    /**
     * Binds in a new directory beside the path that only this user can enter, so that nobody
     * else can connect before the socket has its permissions; sets them; then links the socket
     * under its path, which fails rather than replaces whatever appeared there meanwhile. The
     * directory goes afterwards. The kernel keeps the private name as the socket's own
     * (getsockname), which is why listeners report the path they were asked for instead.
     */
    private void bindPrivately(Binder binder) throws IOException {
        Path directory = privateDirectory();
        Path inside = directory.resolve("s");
        try {
            binder.bind(inside);
            Files.setPosixFilePermissions(inside, permissions);
            Files.createLink(path, inside);
        } catch (FileAlreadyExistsException e) {
            throw new BindException(path + " appeared while the socket was being bound: not replaced");
        } finally {
            Files.deleteIfExists(inside);
            Files.deleteIfExists(directory);
        }
    }

    /** A short name, so that a path that fits a socket address still fits with it. */
    private Path privateDirectory() throws IOException {
        Path parent = path.getParent() != null ? path.getParent() : Path.of(".");
        for (int attempt = 1; ; attempt++) {
            Path directory = parent.resolve(".j" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36));
            try {
                return Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                if (attempt == PRIVATE_DIRECTORY_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
