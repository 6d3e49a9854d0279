package io.jepoll.loop;

import io.jepoll.net.SendableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** A file for the NIO and blocking transports: a {@link FileChannel}, sent with transferTo (sendfile(2) in the JDK). */
final class ChannelFile implements SendableFile {

    private final FileChannel channel;
    private final long size;
    private final Path path;

    private ChannelFile(FileChannel channel, long size, Path path) {
        this.channel = channel;
        this.size = size;
        this.path = path;
    }

    /**
     * Opens {@code path} once it is known to be a regular file: java.nio has no non-blocking open,
     * and opening a fifo would wait for a writer. (A fifo put in the file's place between the
     * check and the open would still block; the epoll transports check the fd they opened.)
     */
    static ChannelFile open(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new IOException(path + " is a directory, not a regular file");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(path + " is not a regular file");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ChannelFile(channel, channel.size(), path);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The channel of {@code file}, which must be a channel file, and open. */
    static FileChannel channelOf(SendableFile file) {
        if (!(file instanceof ChannelFile channelFile)) {
            throw new IllegalArgumentException("a NIO or blocking connection sends files opened by such a "
                    + "connection's openFile, not " + file);
        }
        if (!channelFile.channel.isOpen()) {
            throw new IllegalArgumentException(file + " is closed");
        }
        return channelFile.channel;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public void close() {
        SelectorLoop.closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "file " + path + (channel.isOpen() ? "" : " (closed)");
    }
}
